package dev.nnsdk.training.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.nnsdk.training.TrainingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The trainable tensors of a {@link TrainState} with their optimizer moments, and one optimizer step,
 * for every trainer (heads, recommenders). Adam is PyTorch's fused update
 * ({@code w -= a * m / (sqrt(v) + e)}) with {@code a = lr * sqrt(1 - b2^t) / (1 - b1^t)} and
 * {@code e = eps * sqrt(1 - b2^t)}, which is exactly bias-corrected Adam with L2 weight decay; SGD
 * with momentum is {@code m = momentum * m + g; w -= lr * m}. The moments are our own tensors, so
 * {@link #copyTo(TrainState)} can checkpoint them.
 */
final class OptimizerState {
    final List<NDArray> params = new ArrayList<NDArray>();
    private final List<NDArray> m1 = new ArrayList<NDArray>();
    private final List<NDArray> m2 = new ArrayList<NDArray>();
    private final TrainingConfig cfg;
    private final boolean[] decayed;

    /**
     * @param shapes  the shape of parameter {@code i}
     * @param decayed whether parameter {@code i} gets the configured L2 weight decay
     */
    OptimizerState(NDManager mgr, TrainState s, IntFunction<Shape> shapes, boolean[] decayed, TrainingConfig cfg) {
        this.cfg = cfg;
        this.decayed = decayed.clone();
        for (int i = 0; i < s.params.size(); i++) {
            Shape shape = shapes.apply(i);
            NDArray p = mgr.create(s.params.get(i), shape);
            p.setRequiresGradient(true);
            params.add(p);
            m1.add(mgr.create(s.moment1.get(i), shape));
            m2.add(mgr.create(s.moment2.get(i), shape));
        }
    }

    /** One step (number {@code t}, 1-based) at learning rate {@code lr}, then the gradients are zeroed. */
    void step(long t, double lr) {
        boolean adam = "adam".equals(cfg.optimizer().name());
        double b1 = cfg.optimizer().beta1();
        double b2 = cfg.optimizer().beta2();
        double c1 = 1 - Math.pow(b1, t);
        double c2 = Math.sqrt(1 - Math.pow(b2, t));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient();
            float wd = decayed[i] ? (float) cfg.weightDecay() : 0f;
            if (adam) {
                p.getNDArrayInternal().adamUpdate(new NDList(p, g, m1.get(i), m2.get(i)), new NDList(p), 0f,
                        (float) (lr * c2 / c1), wd, 1f, -1f, (float) b1, (float) b2,
                        (float) (cfg.optimizer().epsilon() * c2), false, false);
            } else {
                NDArray grad = wd > 0 ? g.add(p.mul(wd)) : g;
                m1.get(i).muli((float) cfg.optimizer().momentum()).addi(grad);
                p.subi(m1.get(i).mul((float) lr));
            }
            g.muli(0f);
        }
    }

    /** Writes the current weights and moments into {@code s} (for validation and checkpoints). */
    void copyTo(TrainState s) {
        for (int i = 0; i < params.size(); i++) {
            s.params.set(i, params.get(i).toFloatArray());
            s.moment1.set(i, m1.get(i).toFloatArray());
            s.moment2.set(i, m2.get(i).toFloatArray());
        }
    }
}
