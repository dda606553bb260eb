package dev.nnsdk.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The update rule: {@link #adam()} (default) or {@link #sgd(double)} with momentum. */
public final class Optimizer {
    private final String name;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double momentum;

    private Optimizer(String name, double beta1, double beta2, double epsilon, double momentum) {
        this.name = name;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.momentum = momentum;
    }

    /** Adam with beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public static Optimizer adam() {
        return new Optimizer("adam", 0.9, 0.999, 1e-8, 0);
    }

    /** Stochastic gradient descent with (heavy-ball) momentum, e.g. 0.9. */
    public static Optimizer sgd(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        return new Optimizer("sgd", 0, 0, 0, momentum);
    }

    /** Parses {@code adam} or {@code sgd} (momentum 0.9). */
    public static Optimizer parse(String s) {
        if ("adam".equalsIgnoreCase(s)) {
            return adam();
        }
        if ("sgd".equalsIgnoreCase(s)) {
            return sgd(0.9);
        }
        throw new IllegalArgumentException("Unknown optimizer '" + s + "': expected adam or sgd");
    }

    public String name() {
        return name;
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

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("name", name);
        if ("adam".equals(name)) {
            m.put("beta1", beta1);
            m.put("beta2", beta2);
            m.put("epsilon", epsilon);
        } else {
            m.put("momentum", momentum);
        }
        return m;
    }
}
