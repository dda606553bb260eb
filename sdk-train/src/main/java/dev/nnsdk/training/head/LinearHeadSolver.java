package dev.nnsdk.training.head;

import java.util.Arrays;

/**
 * Fits a linear softmax head (multinomial logistic regression) to convergence: features standardised
 * with the training split's mean and standard deviation, then full-batch L-BFGS on the class-weighted
 * mean cross-entropy plus {@code l2 / 2 * ||W||^2} (biases not penalised), in double precision. This is
 * scikit-learn's {@code LogisticRegression(C)} objective with {@code l2 = 1 / (C * n)}. Deterministic
 * (zero or warm start, no randomness).
 *
 * <p>The standardisation is folded into the returned weights ({@code W' = W / std},
 * {@code b' = b - W' . mean}), so the head applies to raw backbone features and {@code head.bin}, the
 * plain-Java head of sdk-api and the ONNX export need no extra step; {@link Fit#mean} and
 * {@link Fit#std} are kept for the record (training.json).
 *
 * <pre>{@code
 * LinearHeadSolver.Fit fit = new LinearHeadSolver(x, y, classes, null).fit(1e-3, null);
 * float[] w = fit.weights;   // classes x features, row-major, on raw features
 * }</pre>
 */
public final class LinearHeadSolver {
    private static final int MEMORY = 10;

    private final int n;
    private final int d;
    private final int k;
    private final float[] z;          // standardised features, n x d row-major
    private final int[] y;
    private final double[] w;         // per-row weight, normalised to sum 1
    private final double[] mean;
    private final double[] std;
    private int maxIterations = 300;
    private double tolerance = 1e-4;

    /** What a fit produced. */
    public static final class Fit {
        /** classes x features row-major, on raw (not standardised) features. */
        public final float[] weights;
        public final float[] bias;
        /** The parameters in standardised space (for warm starts). */
        final double[] theta;
        public final double[] mean;
        public final double[] std;
        public final double l2;
        public final int iterations;
        public final boolean converged;
        public final double objective;

        Fit(float[] weights, float[] bias, double[] theta, double[] mean, double[] std, double l2, int iterations,
            boolean converged, double objective) {
            this.weights = weights;
            this.bias = bias;
            this.theta = theta;
            this.mean = mean;
            this.std = std;
            this.l2 = l2;
            this.iterations = iterations;
            this.converged = converged;
            this.objective = objective;
        }
    }

    /**
     * @param classWeights per class loss weight, or {@code null} for 1
     */
    public LinearHeadSolver(float[][] x, int[] y, int classes, float[] classWeights) {
        this(x, y, classes, classWeights, true);
    }

    /**
     * @param perFeature standardise each feature by its own standard deviation (the default); {@code false}: centre
     *                   each feature and divide all by one common scale (the root mean square of the centred values).
     *                   The isotropic form keeps the folded weights free of huge factors on near-constant features,
     *                   so the head stays well behaved when the features themselves change (backbone training starts
     *                   from this fit).
     */
    public LinearHeadSolver(float[][] x, int[] y, int classes, float[] classWeights, boolean perFeature) {
        this.n = x.length;
        this.d = x[0].length;
        this.k = classes;
        this.y = y.clone();
        this.mean = new double[d];
        this.std = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                double t = row[j] - mean[j];
                std[j] += t * t;
            }
        }
        if (!perFeature) {
            double all = 0;
            for (int j = 0; j < d; j++) {
                all += std[j];
            }
            double common = Math.sqrt(all / ((double) n * d));
            java.util.Arrays.fill(std, common > 1e-12 ? common : 1);
        }
        for (int j = 0; j < d; j++) {
            if (perFeature) {
                std[j] = Math.sqrt(std[j] / n);
            }
            if (!(std[j] > 1e-12)) {
                std[j] = 1;                   // a constant feature: leave it centred only
            }
        }
        this.z = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i * d + j] = (float) ((x[i][j] - mean[j]) / std[j]);
            }
        }
        this.w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = classWeights == null ? 1 : classWeights[y[i]];
            sum += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
    }

    /** Iteration cap (default 300) and gradient tolerance (max |g|, default 1e-4 as scikit-learn's lbfgs; also stops when a step gains &lt; 1e-10 relative). */
    public LinearHeadSolver limits(int maxIterations, double tolerance) {
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        return this;
    }

    /** Fits with L2 strength {@code l2} (>= 0), from {@code warm} (another fit of the same data) or zero. */
    public Fit fit(double l2, Fit warm) {
        int p = k * d + k;
        double[] theta = warm == null ? new double[p] : warm.theta.clone();
        double[] g = new double[p];
        double f = value(theta, g, l2);
        double[][] s = new double[MEMORY][];
        double[][] yy = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0;
        int head = 0;
        int it = 0;
        boolean converged = maxAbs(g) <= tolerance;
        double[] dir = new double[p];
        double[] alpha = new double[MEMORY];
        double[] g2 = new double[p];
        double[] t2 = new double[p];
        while (!converged && it < maxIterations) {
            it++;
            // two-loop recursion: dir = -H g
            for (int i = 0; i < p; i++) {
                dir[i] = -g[i];
            }
            for (int m = 0; m < stored; m++) {
                int idx = (head - 1 - m + MEMORY) % MEMORY;
                alpha[idx] = rho[idx] * dot(s[idx], dir);
                axpy(-alpha[idx], yy[idx], dir);
            }
            if (stored > 0) {
                int last = (head - 1 + MEMORY) % MEMORY;
                double gamma = dot(s[last], yy[last]) / dot(yy[last], yy[last]);
                for (int i = 0; i < p; i++) {
                    dir[i] *= gamma;
                }
            } else {
                double gn = Math.sqrt(dot(g, g));
                for (int i = 0; i < p; i++) {
                    dir[i] /= Math.max(1, gn);
                }
            }
            for (int m = stored - 1; m >= 0; m--) {
                int idx = (head - 1 - m + MEMORY) % MEMORY;
                double beta = rho[idx] * dot(yy[idx], dir);
                axpy(alpha[idx] - beta, s[idx], dir);
            }
            double slope = dot(g, dir);
            if (!(slope < 0)) {                           // not a descent direction: restart from steepest descent
                stored = 0;
                for (int i = 0; i < p; i++) {
                    dir[i] = -g[i];
                }
                slope = dot(g, dir);
            }
            // backtracking line search (Armijo)
            double step = 1;
            double f2 = Double.NaN;
            for (int ls = 0; ls < 40; ls++) {
                for (int i = 0; i < p; i++) {
                    t2[i] = theta[i] + step * dir[i];
                }
                f2 = value(t2, g2, l2);
                if (f2 <= f + 1e-4 * step * slope) {
                    break;
                }
                step *= 0.5;
            }
            if (!(f2 <= f)) {
                break;                                    // no progress possible in float arithmetic
            }
            double[] sv = new double[p];
            double[] yv = new double[p];
            for (int i = 0; i < p; i++) {
                sv[i] = t2[i] - theta[i];
                yv[i] = g2[i] - g[i];
            }
            double sy = dot(sv, yv);
            if (sy > 1e-12) {
                s[head] = sv;
                yy[head] = yv;
                rho[head] = 1 / sy;
                head = (head + 1) % MEMORY;
                stored = Math.min(MEMORY, stored + 1);
            }
            double[] tmp = theta;
            theta = t2;
            t2 = tmp;
            tmp = g;
            g = g2;
            g2 = tmp;
            double fOld = f;
            f = f2;
            converged = maxAbs(g) <= tolerance || (fOld - f) <= 1e-10 * Math.max(1, Math.abs(f));
        }
        return toFit(theta, l2, it, converged, f);
    }

    private Fit toFit(double[] theta, double l2, int it, boolean converged, double f) {
        float[] wr = new float[k * d];
        float[] br = new float[k];
        for (int c = 0; c < k; c++) {
            double b = theta[k * d + c];
            for (int j = 0; j < d; j++) {
                double v = theta[c * d + j] / std[j];
                wr[c * d + j] = (float) v;
                b -= v * mean[j];
            }
            br[c] = (float) b;
        }
        return new Fit(wr, br, theta.clone(), mean.clone(), std.clone(), l2, it, converged, f);
    }

    /** Objective and gradient at {@code theta} (W row-major k x d, then b). */
    private double value(double[] theta, double[] grad, double l2) {
        Arrays.fill(grad, 0);
        double loss = 0;
        double[] logits = new double[k];
        int bo = k * d;
        for (int i = 0; i < n; i++) {
            int zo = i * d;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double v = theta[bo + c];
                int o = c * d;
                for (int j = 0; j < d; j++) {
                    v += theta[o + j] * z[zo + j];
                }
                logits[c] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                logits[c] = Math.exp(logits[c] - max);
                sum += logits[c];
            }
            loss += w[i] * (Math.log(sum) + max - (Math.log(logits[y[i]]) + max));
            for (int c = 0; c < k; c++) {
                double r = w[i] * (logits[c] / sum - (c == y[i] ? 1 : 0));
                if (r == 0) {
                    continue;
                }
                grad[bo + c] += r;
                int o = c * d;
                for (int j = 0; j < d; j++) {
                    grad[o + j] += r * z[zo + j];
                }
            }
        }
        double reg = 0;
        for (int q = 0; q < bo; q++) {
            reg += theta[q] * theta[q];
            grad[q] += l2 * theta[q];
        }
        return loss + 0.5 * l2 * reg;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] g) {
        double m = 0;
        for (double v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    public int examples() {
        return n;
    }
}
