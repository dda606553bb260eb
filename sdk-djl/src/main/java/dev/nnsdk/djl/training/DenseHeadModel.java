package dev.nnsdk.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.List;

/**
 * A dense classification head (layers {@code sizes[0] -> sizes[1] -> ... -> classes}, ReLU between
 * layers, optional inverted-dropout mask on the hidden layer) trained with class-weighted mean
 * cross-entropy on rows held in native memory. Parameters are W0, b0, W1, b1, ... with
 * {@code Wk} of shape (out, in), row-major.
 *
 * <p>An epoch is {@link #beginEpoch(int[])} (one gather puts the rows in the epoch's order; batches are
 * then plain slices), {@link #step} per batch, {@link #endEpoch()}. Loss and accuracy sums stay native
 * until read ({@link #lossSum()}, {@link #correct()}), so a step is a handful of native calls.
 */
public final class DenseHeadModel {
    private final TrainingSession session;
    private final int[] sizes;
    private final ParameterSet opt;
    private NDArray xAll;
    private NDArray tAll;
    private NDArray yAll;
    private NDScope epochScope;
    private NDArray xE;
    private NDArray tE;
    private NDArray yE;
    private NDArray lossSum;
    private NDArray correct;

    /**
     * @param sizes   layer sizes from the feature size to the class count, e.g. [384, 2] or [384, 256, 2]
     * @param params  initial W0, b0, W1, b1, ...
     * @param decayed whether parameter {@code i} gets the weight decay
     */
    public DenseHeadModel(TrainingSession session, int[] sizes, List<float[]> params, List<float[]> moment1,
                          List<float[]> moment2, boolean[] decayed, OptimizerSettings optimizer) {
        this.session = session;
        this.sizes = sizes.clone();
        Shape[] shapes = new Shape[2 * (sizes.length - 1)];
        for (int k = 0; k + 1 < sizes.length; k++) {
            shapes[2 * k] = new Shape(sizes[k + 1], sizes[k]);
            shapes[2 * k + 1] = new Shape(sizes[k + 1]);
        }
        this.opt = new ParameterSet(session.manager, params, moment1, moment2, shapes, decayed, optimizer);
    }

    /**
     * The training rows: {@code x} is n x sizes[0] row-major, {@code weightedTargets} n x classes (the
     * class weight of row i's label at its column, zeros elsewhere), {@code labels} the class indices.
     */
    public void setData(float[] x, int n, float[] weightedTargets, int[] labels) {
        NDManager mgr = session.manager;
        int classes = sizes[sizes.length - 1];
        xAll = mgr.create(x, new Shape(n, sizes[0]));
        tAll = mgr.create(weightedTargets, new Shape(n, classes));
        yAll = mgr.create(toLongs(labels));
    }

    /** Starts an epoch whose row {@code i} is training row {@code order[i]}. */
    public void beginEpoch(int[] order) {
        NDManager mgr = session.manager;
        lossSum = mgr.zeros(new Shape());
        correct = mgr.zeros(new Shape(), DataType.INT64);
        epochScope = new NDScope();
        NDArray idx = mgr.create(toLongs(order));
        xE = xAll.get(idx);
        tE = tAll.get(idx);
        yE = yAll.get(idx);
    }

    /**
     * One optimizer step on the epoch's rows {@code [from, to)}: forward, backward, update (step
     * number {@code t}, 1-based, at learning rate {@code lr}).
     *
     * @param dropoutMask (to - from) x hidden inverted-dropout mask, or {@code null}
     * @param weightSum   the sum of the rows' class weights (the loss is divided by it)
     */
    public void step(int from, int to, float[] dropoutMask, double weightSum, double lr, long t) {
        NDManager mgr = session.manager;
        try (NDScope scope = new NDScope()) {
            NDArray x = xE.get(from + ":" + to);
            NDArray tt = tE.get(from + ":" + to);
            NDArray mask = dropoutMask == null ? null : mgr.create(dropoutMask, new Shape(to - from, sizes[1]));
            NDArray logits;
            NDArray loss;
            try (GradientCollector gc = session.engine.newGradientCollector()) {
                logits = forward(x, mask);
                // Class-weighted mean cross-entropy: targets hold w[y] at the label's column.
                loss = logits.logSoftmax(1).mul(tt).sum().mul((float) (-1.0 / weightSum));
                gc.backward(loss);
            }
            lossSum.addi(loss.mul((float) (to - from)));
            correct.addi(logits.argMax(1).eq(yE.get(from + ":" + to)).sum().toType(DataType.INT64, false));
            opt.step(t, lr);
        }
    }

    /** The sum over the epoch's rows so far of the batch mean loss times the batch size (syncs). */
    public double lossSum() {
        return lossSum.getFloat();
    }

    /** How many of the epoch's rows so far were classified right, before their step. */
    public long correct() {
        return correct.getLong();
    }

    /** Frees the epoch's tensors. */
    public void endEpoch() {
        if (epochScope != null) {
            epochScope.close();
            epochScope = null;
        }
        lossSum.close();
        correct.close();
    }

    /** Writes the current weights and moments into the lists (same order as at construction). */
    public void copyTo(List<float[]> params, List<float[]> moment1, List<float[]> moment2) {
        opt.copyTo(params, moment1, moment2);
    }

    private NDArray forward(NDArray x, NDArray mask) {
        List<NDArray> params = opt.params;
        NDArray h = x;
        int layers = params.size() / 2;
        for (int k = 0; k < layers; k++) {
            h = h.matMul(params.get(2 * k).transpose()).add(params.get(2 * k + 1));
            if (k < layers - 1) {
                h = h.maximum(0f);
                if (mask != null) {
                    h = h.mul(mask);
                }
            }
        }
        return h;
    }

    static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
