package dev.nnsdk.djl.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Trainable tensors with their optimizer moments, and one optimizer step, for every model of this
 * package. Adam is PyTorch's fused update ({@code w -= a * m / (sqrt(v) + e)}) with
 * {@code a = lr * sqrt(1 - b2^t) / (1 - b1^t)} and {@code e = eps * sqrt(1 - b2^t)}, which is exactly
 * bias-corrected Adam with L2 weight decay; SGD with momentum is {@code m = momentum * m + g; w -= lr * m}.
 * The moments are our own tensors, so {@link #copyTo} can checkpoint them.
 */
final class ParameterSet {
    final List<NDArray> params = new ArrayList<NDArray>();
    private final List<NDArray> m1 = new ArrayList<NDArray>();
    private final List<NDArray> m2 = new ArrayList<NDArray>();
    private final OptimizerSettings cfg;
    private final boolean[] decayed;

    ParameterSet(NDManager mgr, List<float[]> values, List<float[]> moment1, List<float[]> moment2, Shape[] shapes,
                 boolean[] decayed, OptimizerSettings cfg) {
        if (values.size() != shapes.length || decayed.length != shapes.length || moment1.size() != shapes.length
                || moment2.size() != shapes.length) {
            throw new IllegalArgumentException("parameters, moments, shapes and decay flags differ in count");
        }
        this.cfg = cfg;
        this.decayed = decayed.clone();
        for (int i = 0; i < values.size(); i++) {
            Shape shape = shapes[i];
            if (values.get(i).length != shape.size()) {
                throw new IllegalArgumentException("parameter " + i + " has " + values.get(i).length
                        + " values, its shape " + shape + " needs " + shape.size());
            }
            NDArray p = mgr.create(values.get(i), shape);
            p.setRequiresGradient(true);
            params.add(p);
            m1.add(mgr.create(moment1.get(i), shape));
            m2.add(mgr.create(moment2.get(i), shape));
        }
    }

    /** One step (number {@code t}, 1-based) at learning rate {@code lr}, then the gradients are zeroed. */
    void step(long t, double lr) {
        double b1 = cfg.beta1();
        double b2 = cfg.beta2();
        double c1 = 1 - Math.pow(b1, t);
        double c2 = Math.sqrt(1 - Math.pow(b2, t));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient();
            float wd = decayed[i] ? (float) cfg.weightDecay() : 0f;
            if (cfg.isAdam()) {
                p.getNDArrayInternal().adamUpdate(new NDList(p, g, m1.get(i), m2.get(i)), new NDList(p), 0f,
                        (float) (lr * c2 / c1), wd, 1f, -1f, (float) b1, (float) b2,
                        (float) (cfg.epsilon() * c2), false, false);
            } else {
                NDArray grad = wd > 0 ? g.add(p.mul(wd)) : g;
                m1.get(i).muli((float) cfg.momentum()).addi(grad);
                p.subi(m1.get(i).mul((float) lr));
            }
            g.muli(0f);
        }
    }

    /** Writes the current weights and moments into the given lists (same order as at construction). */
    void copyTo(List<float[]> values, List<float[]> moment1, List<float[]> moment2) {
        for (int i = 0; i < params.size(); i++) {
            values.set(i, params.get(i).toFloatArray());
            moment1.set(i, m1.get(i).toFloatArray());
            moment2.set(i, m2.get(i).toFloatArray());
        }
    }
}
