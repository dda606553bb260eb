package dev.nnsdk.training.io;

import dev.nnsdk.training.listener.EpochResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** PNG plots of the training history (XChart, headless). */
public final class Plots {
    private Plots() {
    }

    /** Writes {@code loss.png} (train/validation loss) and {@code accuracy.png} (train/validation accuracy, validation macro-F1). */
    public static void write(Path dir, List<EpochResult> history) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int n = history.size();
        double[] x = new double[n];
        double[] tl = new double[n];
        double[] vl = new double[n];
        double[] ta = new double[n];
        double[] va = new double[n];
        double[] vf = new double[n];
        for (int i = 0; i < n; i++) {
            EpochResult r = history.get(i);
            x[i] = r.epoch();
            tl[i] = r.trainLoss();
            vl[i] = r.validLoss();
            ta[i] = r.trainAccuracy();
            va[i] = r.validAccuracy();
            vf[i] = r.validMacroF1();
        }
        XYChart loss = new XYChartBuilder().width(640).height(400).title("Loss").xAxisTitle("epoch").yAxisTitle("cross-entropy").build();
        loss.addSeries("train", x, tl);
        loss.addSeries("validation", x, vl);
        BitmapEncoder.saveBitmap(loss, dir.resolve("loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        XYChart acc = new XYChartBuilder().width(640).height(400).title("Accuracy").xAxisTitle("epoch").yAxisTitle("score").build();
        acc.addSeries("train accuracy", x, ta);
        acc.addSeries("validation accuracy", x, va);
        acc.addSeries("validation macro-F1", x, vf);
        BitmapEncoder.saveBitmap(acc, dir.resolve("accuracy.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes one PNG line chart: {@code series} name to y values over {@code x} (e.g. epochs). */
    public static void lines(Path file, String title, String yTitle, double[] x, java.util.Map<String, double[]> series)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart c = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        for (java.util.Map.Entry<String, double[]> e : series.entrySet()) {
            c.addSeries(e.getKey(), x, e.getValue());
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
