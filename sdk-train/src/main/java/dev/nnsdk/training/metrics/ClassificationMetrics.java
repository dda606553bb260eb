package dev.nnsdk.training.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy, per-class precision / recall / F1 / support, macro-F1 and the confusion matrix
 * (rows = true class, columns = predicted class). A class never predicted has precision 0; a
 * class absent from the truth has recall 0 and is left out of the macro average.
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.compute(truth, predicted, labels);
 * double f1 = m.macroF1();
 * Map<String, Object> json = m.toMap();
 * }</pre>
 */
public final class ClassificationMetrics {
    private final List<String> labels;
    private final long[][] confusion;
    private final long total;
    private final double accuracy;
    private final double[] precision;
    private final double[] recall;
    private final double[] f1;
    private final long[] support;
    private final double macroF1;

    private ClassificationMetrics(List<String> labels, long[][] confusion) {
        this.labels = Collections.unmodifiableList(new ArrayList<String>(labels));
        this.confusion = confusion;
        int c = labels.size();
        long t = 0;
        long correct = 0;
        long[] predicted = new long[c];
        support = new long[c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                t += confusion[i][j];
                support[i] += confusion[i][j];
                predicted[j] += confusion[i][j];
            }
            correct += confusion[i][i];
        }
        total = t;
        accuracy = t == 0 ? 0 : correct / (double) t;
        precision = new double[c];
        recall = new double[c];
        f1 = new double[c];
        double sum = 0;
        int present = 0;
        for (int i = 0; i < c; i++) {
            precision[i] = predicted[i] == 0 ? 0 : confusion[i][i] / (double) predicted[i];
            recall[i] = support[i] == 0 ? 0 : confusion[i][i] / (double) support[i];
            f1[i] = precision[i] + recall[i] == 0 ? 0 : 2 * precision[i] * recall[i] / (precision[i] + recall[i]);
            if (support[i] > 0) {
                sum += f1[i];
                present++;
            }
        }
        macroF1 = present == 0 ? 0 : sum / present;
    }

    /** Metrics of predicted vs true class indices (both into {@code labels}). */
    public static ClassificationMetrics compute(int[] truth, int[] predicted, List<String> labels) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int c = labels.size();
        long[][] m = new long[c][c];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
        }
        return new ClassificationMetrics(labels, m);
    }

    public double accuracy() {
        return accuracy;
    }

    public double macroF1() {
        return macroF1;
    }

    public long total() {
        return total;
    }

    public List<String> labels() {
        return labels;
    }

    public double precision(int cls) {
        return precision[cls];
    }

    public double recall(int cls) {
        return recall[cls];
    }

    public double f1(int cls) {
        return f1[cls];
    }

    /** Count of examples of true class {@code row} predicted as {@code col}. */
    public long confusion(int row, int col) {
        return confusion[row][col];
    }

    /**
     * As JSON: {@code accuracy}, {@code macro_f1}, {@code examples}, {@code per_class} (label to
     * precision/recall/f1/support), {@code labels} and {@code confusion_matrix}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("accuracy", accuracy);
        m.put("macro_f1", macroF1);
        m.put("examples", total);
        Map<String, Object> per = new LinkedHashMap<String, Object>();
        for (int i = 0; i < labels.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<String, Object>();
            c.put("precision", precision[i]);
            c.put("recall", recall[i]);
            c.put("f1", f1[i]);
            c.put("support", support[i]);
            per.put(labels.get(i), c);
        }
        m.put("per_class", per);
        m.put("labels", labels);
        List<List<Long>> cm = new ArrayList<List<Long>>();
        for (long[] row : confusion) {
            List<Long> r = new ArrayList<Long>();
            for (long v : row) {
                r.add(v);
            }
            cm.add(r);
        }
        m.put("confusion_matrix", cm);
        return m;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "accuracy %.4f, macro-F1 %.4f (%d examples)", accuracy, macroF1, total);
    }
}
