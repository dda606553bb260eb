package dev.nnsdk.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.GradientCollector;

import java.util.List;

/**
 * A two-tower recommender trained with the BPR loss. Parameters, in order: user embedding U
 * (users x d), item embedding E (items x d), item bias b (items), and, when item features X
 * (items x f) are given, the projection W (f x d). The item vector is {@code X[i] W + E[i]} (hybrid;
 * {@code X[i] W} alone without the item embedding) or {@code E[i]}; the score is
 * {@code U[u] . v[i] + b[i]}. A step's loss is {@code mean softplus(-(s(u,i) - s(u,j)))} plus
 * {@code l2 / m} times the squared norms of the batch's user and item rows and biases.
 */
public final class BprModel {
    private final TrainingSession session;
    private final int dim;
    private final double l2;
    private final boolean useItemEmbedding;
    private final ParameterSet opt;
    private final NDArray x;

    /**
     * @param features         items x featureDim row-major item features, or {@code null} (matrix factorisation)
     * @param useItemEmbedding hybrid only: {@code false} leaves the item embedding out of the item vector
     */
    public BprModel(TrainingSession session, int users, int items, int dim, double l2, float[] features,
                    int featureDim, boolean useItemEmbedding, List<float[]> params, List<float[]> moment1,
                    List<float[]> moment2, boolean[] decayed, OptimizerSettings optimizer) {
        this.session = session;
        this.dim = dim;
        this.l2 = l2;
        this.useItemEmbedding = useItemEmbedding || features == null;
        Shape[] shapes = features == null
                ? new Shape[] {new Shape(users, dim), new Shape(items, dim), new Shape(items, 1)}
                : new Shape[] {new Shape(users, dim), new Shape(items, dim), new Shape(items, 1),
                        new Shape(featureDim, dim)};
        this.opt = new ParameterSet(session.manager, params, moment1, moment2, shapes, decayed, optimizer);
        this.x = features == null ? null : session.manager.create(features, new Shape(items, featureDim));
    }

    /** The outcome of one step: the batch's mean BPR loss (without the L2 term) and its correctly ordered pairs. */
    public static final class StepResult {
        public final float loss;
        public final int correctPairs;

        StepResult(float loss, int correctPairs) {
            this.loss = loss;
            this.correctPairs = correctPairs;
        }
    }

    /**
     * One optimizer step (number {@code t}, 1-based) on the triples (user, positive item, negative item).
     */
    public StepResult step(long[] users, long[] positives, long[] negatives, double lr, long t) {
        NDManager mgr = session.manager;
        int m = users.length;
        List<NDArray> params = opt.params;
        try (NDScope scope = new NDScope()) {
            NDArray uIdx = mgr.create(users);
            NDArray iIdx = mgr.create(positives);
            NDArray jIdx = mgr.create(negatives);
            NDArray loss;
            NDArray diff;
            try (GradientCollector gc = session.engine.newGradientCollector()) {
                NDArray vu = rows(params.get(0), uIdx);
                NDArray ei = rows(params.get(1), iIdx);
                NDArray ej = rows(params.get(1), jIdx);
                NDArray bi = rows(params.get(2), iIdx).reshape(m);
                NDArray bj = rows(params.get(2), jIdx).reshape(m);
                NDArray vi = ei;
                NDArray vj = ej;
                if (x != null) {
                    vi = rows(x, iIdx).matMul(params.get(3));
                    vj = rows(x, jIdx).matMul(params.get(3));
                    if (useItemEmbedding) {
                        vi = vi.add(ei);
                        vj = vj.add(ej);
                    } else {
                        ei = ei.mul(0f);
                        ej = ej.mul(0f);
                    }
                }
                NDArray si = vu.mul(vi).sum(new int[] {1}).add(bi);
                NDArray sj = vu.mul(vj).sum(new int[] {1}).add(bj);
                diff = si.sub(sj);
                NDArray z = diff.neg();
                NDArray bpr = z.maximum(0f).add(z.abs().neg().exp().add(1f).log()).mean();
                NDArray reg = vu.square().sum().add(ei.square().sum()).add(ej.square().sum())
                        .add(bi.square().sum()).add(bj.square().sum()).mul((float) (l2 / m));
                loss = bpr.add(reg);
                gc.backward(loss);
                loss = bpr;
            }
            float lv = loss.getFloat();
            int correct = 0;
            for (float d : diff.toFloatArray()) {
                if (d > 0) {
                    correct++;
                }
            }
            if (!Float.isNaN(lv) && !Float.isInfinite(lv)) {
                opt.step(t, lr);
            }
            return new StepResult(lv, correct);
        }
    }

    /** Writes the current weights and moments into the lists (same order as at construction). */
    public void copyTo(List<float[]> params, List<float[]> moment1, List<float[]> moment2) {
        opt.copyTo(params, moment1, moment2);
    }

    /** Rows of a matrix by index (torch.embedding: differentiable with respect to the matrix). */
    private static NDArray rows(NDArray matrix, NDArray idx) {
        return matrix.getNDArrayInternal().embedding(idx, matrix, SparseFormat.DENSE).head();
    }

    int dim() {
        return dim;
    }
}
