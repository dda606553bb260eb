package dev.nnsdk.training.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learning rate over training steps: {@link #constant()}, {@link #warmupCosine(double)} (linear
 * warm-up then cosine decay to 1% of the base rate; the default) or {@link #step(int, double)}.
 */
public final class LrSchedule {
    private final String kind;
    private final double warmupFraction;
    private final int everyEpochs;
    private final double gamma;

    private LrSchedule(String kind, double warmupFraction, int everyEpochs, double gamma) {
        this.kind = kind;
        this.warmupFraction = warmupFraction;
        this.everyEpochs = everyEpochs;
        this.gamma = gamma;
    }

    public static LrSchedule constant() {
        return new LrSchedule("constant", 0, 0, 1);
    }

    /** Linear warm-up over {@code warmupFraction} of all steps, then cosine decay. */
    public static LrSchedule warmupCosine(double warmupFraction) {
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
        }
        return new LrSchedule("warmup-cosine", warmupFraction, 0, 1);
    }

    /** Multiplies the rate by {@code gamma} every {@code everyEpochs} epochs. */
    public static LrSchedule step(int everyEpochs, double gamma) {
        if (everyEpochs < 1 || !(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("step schedule needs everyEpochs >= 1 and gamma in (0, 1]");
        }
        return new LrSchedule("step", 0, everyEpochs, gamma);
    }

    /** Parses {@code constant}, {@code cosine} (10% warm-up) or {@code step} (x0.5 every 5 epochs). */
    public static LrSchedule parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "constant":
                return constant();
            case "cosine":
            case "warmup-cosine":
                return warmupCosine(0.1);
            case "step":
                return step(5, 0.5);
            default:
                throw new IllegalArgumentException("Unknown schedule '" + s + "': expected constant, cosine or step");
        }
    }

    /**
     * The rate at 0-based {@code step} of {@code totalSteps}, in epoch {@code epoch} (0-based).
     */
    public double rate(double base, long step, long totalSteps, int epoch) {
        switch (kind) {
            case "warmup-cosine": {
                long warm = (long) Math.floor(warmupFraction * totalSteps);
                if (step < warm) {
                    return base * (step + 1) / (double) warm;
                }
                double progress = totalSteps - warm <= 1 ? 1 : (step - warm) / (double) (totalSteps - warm - 1);
                double min = base * 0.01;
                return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
            }
            case "step":
                return base * Math.pow(gamma, epoch / everyEpochs);
            default:
                return base;
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("kind", kind);
        if ("warmup-cosine".equals(kind)) {
            m.put("warmupFraction", warmupFraction);
        } else if ("step".equals(kind)) {
            m.put("everyEpochs", everyEpochs);
            m.put("gamma", gamma);
        }
        return m;
    }
}
