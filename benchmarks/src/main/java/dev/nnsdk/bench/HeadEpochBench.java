package dev.nnsdk.bench;

import dev.nnsdk.training.TrainingConfig;
import dev.nnsdk.training.head.Head;
import dev.nnsdk.training.internal.HeadTrainer;
import dev.nnsdk.training.internal.TrainState;
import dev.nnsdk.training.listener.TrainingListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seconds per epoch of head training over cached features (the part of fine-tuning that repeats):
 * 25,000 feature vectors of MiniLM's 384 and MobileNetV2's 1280 dimensions, linear and MLP heads,
 * batch sizes 32 and 128, Adam. Prints one line per setting with the median epoch time of epochs
 * 2..N (epoch 1 includes the engine's warm-up) and the minimum.
 *
 * <pre>
 * java -cp "sdk-cli/target/sdk-cli.jar:sdk-cli/target/lib/*" dev.nnsdk.bench.HeadEpochBench [examples] [epochs]
 * </pre>
 */
public final class HeadEpochBench {
    private HeadEpochBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 25_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        List<String> labels = Arrays.asList("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        System.out.printf("%d examples, %d classes, %d epochs; median (min) seconds per epoch, epochs 2..%d%n", n,
                labels.size(), epochs, epochs);
        for (int dim : new int[] {384, 1280}) {
            Random r = new Random(1);
            int[] y = new int[n];
            float[][] x = new float[n][dim];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(labels.size());
                for (int j = 0; j < dim; j++) {
                    x[i][j] = (float) (r.nextGaussian() + (j % labels.size() == y[i] ? 0.5 : 0));
                }
            }
            float[][] xv = Arrays.copyOf(x, 1000);
            int[] yv = Arrays.copyOf(y, 1000);
            for (Head head : new Head[] {Head.linear(), Head.mlp(256).dropout(0.1)}) {
                for (int bs : new int[] {32, 128}) {
                    TrainingConfig cfg = TrainingConfig.builder().epochs(epochs).batchSize(bs).learningRate(1e-3).seed(42).build();
                    HeadTrainer t = new HeadTrainer(cfg, head, x, y, xv, yv, labels,
                            Collections.<TrainingListener>emptyList(), null, "bench");
                    TrainState s = t.train(t.initialState());
                    List<Double> secs = new ArrayList<Double>();
                    for (Map<String, Object> h : s.history.subList(1, s.history.size())) {
                        secs.add(((Number) h.get("seconds")).doubleValue());
                    }
                    Collections.sort(secs);
                    System.out.printf("dim %4d  %-6s  batch %3d  %.3f s  (min %.3f)%n", dim, head.type(), bs,
                            secs.get(secs.size() / 2), secs.get(0));
                }
            }
        }
    }
}
