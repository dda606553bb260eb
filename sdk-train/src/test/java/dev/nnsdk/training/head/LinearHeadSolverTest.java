package dev.nnsdk.training.head;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearHeadSolverTest {
    private static final int N = 300;
    private static final int D = 12;
    private static final int K = 3;

    /** Three overlapping Gaussian classes on badly scaled features (scales 1e-3 .. 1e3, offsets up to 50). */
    private static float[][] x(int[] y) {
        Random r = new Random(3);
        float[][] x = new float[N][D];
        for (int i = 0; i < N; i++) {
            y[i] = i % K;
            for (int j = 0; j < D; j++) {
                double scale = Math.pow(10, (j % 7) - 3);
                x[i][j] = (float) ((r.nextGaussian() + (j < 4 && j % K == y[i] ? 1.2 : 0)) * scale + 50 * (j % 3));
            }
        }
        return x;
    }

    /** Objective of raw-feature weights, recomputed independently in the raw space (standardisation folded in). */
    private static double objective(float[][] x, int[] y, float[] w, float[] b, LinearHeadSolver.Fit f) {
        double loss = 0;
        for (int i = 0; i < N; i++) {
            double[] z = new double[K];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < K; c++) {
                z[c] = b[c];
                for (int j = 0; j < D; j++) {
                    z[c] += w[c * D + j] * x[i][j];
                }
                max = Math.max(max, z[c]);
            }
            double s = 0;
            for (int c = 0; c < K; c++) {
                s += Math.exp(z[c] - max);
            }
            loss += Math.log(s) + max - z[y[i]];
        }
        double reg = 0;
        for (int c = 0; c < K; c++) {
            for (int j = 0; j < D; j++) {
                double ws = w[c * D + j] * f.std[j];          // back to the standardised space, where L2 applies
                reg += ws * ws;
            }
        }
        return loss / N + 0.5 * f.l2 * reg;
    }

    @Test
    void convergesToTheOptimumOnBadlyScaledFeatures() {
        int[] y = new int[N];
        float[][] x = x(y);
        LinearHeadSolver.Fit f = new LinearHeadSolver(x, y, K, null).fit(1e-2, null);
        assertTrue(f.converged, "converged in " + f.iterations + " iterations");
        double at = objective(x, y, f.weights, f.bias, f);
        assertEquals(f.objective, at, 1e-4, "folded raw-feature weights give the solver's objective");
        // Any small move in any direction makes it worse: a (local = global, the problem is convex) minimum.
        Random r = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            float[] w = f.weights.clone();
            float[] b = f.bias.clone();
            int q = r.nextInt(K * D + K);
            double step = (r.nextBoolean() ? 1 : -1) * 0.05;
            if (q < K * D) {
                w[q] += (float) (step / f.std[q % D]);
            } else {
                b[q - K * D] += (float) step;
            }
            assertTrue(objective(x, y, w, b, f) > at, "perturbing parameter " + q + " lowers the objective");
        }
    }

    @Test
    void deterministicAndWarmStartReachesTheSameOptimum() {
        int[] y = new int[N];
        float[][] x = x(y);
        LinearHeadSolver s = new LinearHeadSolver(x, y, K, null).limits(1000, 1e-7);
        LinearHeadSolver.Fit a = s.fit(1e-3, null);
        LinearHeadSolver.Fit b = s.fit(1e-3, null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.weights, b.weights);
        LinearHeadSolver.Fit warm = s.fit(1e-3, s.fit(1e-1, null));
        assertEquals(a.objective, warm.objective, 1e-6);
    }
}
