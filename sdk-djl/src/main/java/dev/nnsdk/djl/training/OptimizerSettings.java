package dev.nnsdk.djl.training;

/**
 * The update rule of a training run: Adam ({@link #adam}) or SGD with heavy-ball momentum
 * ({@link #sgd}), with an L2 weight decay applied to the parameters marked as decayed. Immutable.
 */
public final class OptimizerSettings {
    private final boolean adam;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double momentum;
    private final double weightDecay;

    private OptimizerSettings(boolean adam, double beta1, double beta2, double epsilon, double momentum,
                              double weightDecay) {
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        this.adam = adam;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** Bias-corrected Adam (PyTorch's fused update) with L2 weight decay. */
    public static OptimizerSettings adam(double beta1, double beta2, double epsilon, double weightDecay) {
        return new OptimizerSettings(true, beta1, beta2, epsilon, 0, weightDecay);
    }

    /** {@code m = momentum * m + g + wd * w; w -= lr * m}. */
    public static OptimizerSettings sgd(double momentum, double weightDecay) {
        return new OptimizerSettings(false, 0, 0, 0, momentum, weightDecay);
    }

    public boolean isAdam() {
        return adam;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }
}
