package dev.nnsdk.onnx.graph.quant;

import java.util.Locale;

/**
 * How activation ranges are chosen from calibration runs: {@link #minMax()} keeps the full observed range,
 * {@link #percentile(double)} clips each tail at the given percentile of the observed values (0 always included).
 * docs/benchmarks.md ("Graph optimisation and static int8") has the measurement that picked the SDK's default.
 */
public final class Calibration {
    /** Percentile {@code percentile} (without a value) stands for; the SDK's default is {@link #minMax()}. */
    public static final double DEFAULT_PERCENTILE = 99.999;

    private final double percentile;

    private Calibration(double percentile) {
        this.percentile = percentile;
    }

    public static Calibration minMax() {
        return new Calibration(100.0);
    }

    public static Calibration percentile(double p) {
        if (!(p > 50 && p <= 100)) {
            throw new IllegalArgumentException("Percentile must be in (50, 100], got " + p);
        }
        return new Calibration(p);
    }

    /**
     * The SDK's default: {@link #minMax()}. It never clips, so it cannot break a model whose few large activations
     * matter (percentile 99.99 does on MiniLM), and with the built-in calibration texts it is the closest to fp32
     * (min cosine 0.982 vs 0.975 for percentile 99.999 over 2,000 IMDB reviews; docs/benchmarks.md).
     */
    public static Calibration defaults() {
        return minMax();
    }

    /** Parses {@code minmax} or {@code percentile:99.99}. */
    public static Calibration parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("minmax") || t.equals("min-max")) {
            return minMax();
        }
        if (t.startsWith("percentile:")) {
            return percentile(Double.parseDouble(t.substring("percentile:".length())));
        }
        if (t.equals("percentile")) {
            return defaults();
        }
        throw new IllegalArgumentException("Unknown calibration '" + s + "': use minmax or percentile:P (e.g. percentile:99.999)");
    }

    public double percentileValue() {
        return percentile;
    }

    @Override
    public String toString() {
        return percentile >= 100 ? "minmax" : "percentile:" + percentile;
    }
}
