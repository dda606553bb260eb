package dev.nnsdk.onnx.graph.quant;

/**
 * The value distribution of one activation over calibration runs: a first pass records min and max, a second fills
 * a histogram over that range, from which {@link #range(Calibration)} reads the clipped range.
 */
final class RangeObserver {
    private static final int BINS = 8192;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    private long[] histogram;
    private long count;

    void observeRange(float[] v) {
        for (float x : v) {
            if (x < min) {
                min = x;
            }
            if (x > max) {
                max = x;
            }
        }
    }

    void observeHistogram(float[] v) {
        if (histogram == null) {
            histogram = new long[BINS];
        }
        double width = (max - min) / BINS;
        for (float x : v) {
            int b = width <= 0 ? 0 : (int) ((x - min) / width);
            histogram[Math.max(0, Math.min(BINS - 1, b))]++;
        }
        count += v.length;
    }

    /** {lo, hi} with lo <= 0 <= hi. */
    float[] range(Calibration c) {
        float lo = min;
        float hi = max;
        double p = c.percentileValue();
        if (p < 100 && histogram != null && count > 0) {
            double width = (max - min) / (double) BINS;
            long tail = (long) Math.floor(count * (100 - p) / 100.0);
            long seen = 0;
            int b = 0;
            while (b < BINS - 1 && seen + histogram[b] <= tail) {
                seen += histogram[b++];
            }
            lo = (float) (min + b * width);
            seen = 0;
            b = BINS - 1;
            while (b > 0 && seen + histogram[b] <= tail) {
                seen += histogram[b--];
            }
            hi = (float) (min + (b + 1) * width);
        }
        return new float[] {Math.min(lo, 0f), Math.max(hi, 0f)};
    }
}
