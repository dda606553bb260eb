package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Random image transforms for training, as Keras' {@code ImageDataGenerator}: a horizontal flip,
 * a rotation, a shift and a zoom, combined into one affine map sampled bilinearly; the output has the
 * input's size and pixels that map outside the input take the nearest edge pixel (Keras
 * {@code fill_mode='nearest'}). Pure Java, deterministic for a given {@link Random}. Immutable.
 *
 * <pre>{@code
 * Augmentation aug = Augmentation.builder().optFlip(true).optRotation(10).optShift(0.1).optZoom(0.1).optCopies(2).build();
 * Augmentation same = Augmentation.parse("flip,rotation=10,shift=0.1,zoom=0.1,copies=2");
 * Image variant = aug.apply(image, new Random(42));
 * }</pre>
 */
public final class Augmentation {
    private static final Augmentation NONE = new Augmentation(false, 0, 0, 0, 1);
    private static final String OPTIONS = "flip, rotation=<max degrees>, shift=<max fraction>, zoom=<max fraction>, copies=<n>";

    private final boolean flip;
    private final double rotation;
    private final double shift;
    private final double zoom;
    private final int copies;

    private Augmentation(boolean flip, double rotation, double shift, double zoom, int copies) {
        this.flip = flip;
        this.rotation = rotation;
        this.shift = shift;
        this.zoom = zoom;
        this.copies = copies;
    }

    /** No augmentation: {@link #apply} returns its input, {@link #copies()} is 0. */
    public static Augmentation none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One random transform of {@code image}: flipped left-right with probability 0.5 (when flip is
     * on), rotated by an angle uniform in [-rotation, rotation] degrees, shifted by a fraction uniform in
     * [-shift, shift] of the width and, independently, of the height, scaled by a factor uniform in
     * [1 - zoom, 1 + zoom] (above 1 enlarges), all about the image centre. Returns {@code image} itself
     * when nothing is enabled. The random numbers are drawn in that order, only for enabled transforms.
     */
    public Image apply(Image image, Random rnd) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(rnd, "rnd");
        if (!enabled()) {
            return image;
        }
        boolean f = flip && rnd.nextBoolean();
        double deg = rotation > 0 ? uniform(rnd, rotation) : 0;
        double tx = shift > 0 ? uniform(rnd, shift) * image.width() : 0;
        double ty = shift > 0 ? uniform(rnd, shift) * image.height() : 0;
        double s = zoom > 0 ? 1 + uniform(rnd, zoom) : 1;
        return transform(image, f, deg, tx, ty, s);
    }

    private static double uniform(Random rnd, double max) {
        return (rnd.nextDouble() * 2 - 1) * max;
    }

    /**
     * The affine map: output pixel p shows input point F(C + R(-deg) (p - C - t) / scale), with C the
     * centre, t the shift in pixels, F the left-right flip; bilinear, coordinates clamped to the edges.
     */
    static Image transform(Image image, boolean flip, double degrees, double tx, double ty, double scale) {
        int w = image.width();
        int h = image.height();
        byte[] src = image.toRgb();
        byte[] out = new byte[src.length];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double rad = Math.toRadians(degrees);
        double cos = Math.cos(rad) / scale;
        double sin = Math.sin(rad) / scale;
        int o = 0;
        for (int y = 0; y < h; y++) {
            double dy = y - cy - ty;
            for (int x = 0; x < w; x++) {
                double dx = x - cx - tx;
                double sx = cos * dx + sin * dy + cx;
                double sy = -sin * dx + cos * dy + cy;
                if (flip) {
                    sx = (w - 1) - sx;
                }
                sx = Math.min(Math.max(sx, 0), w - 1);
                sy = Math.min(Math.max(sy, 0), h - 1);
                int x0 = (int) sx;
                int y0 = (int) sy;
                int x1 = Math.min(x0 + 1, w - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                double fx = sx - x0;
                double fy = sy - y0;
                int i00 = (y0 * w + x0) * 3;
                int i01 = (y0 * w + x1) * 3;
                int i10 = (y1 * w + x0) * 3;
                int i11 = (y1 * w + x1) * 3;
                for (int c = 0; c < 3; c++) {
                    double top = (src[i00 + c] & 0xFF) * (1 - fx) + (src[i01 + c] & 0xFF) * fx;
                    double bottom = (src[i10 + c] & 0xFF) * (1 - fx) + (src[i11 + c] & 0xFF) * fx;
                    long v = Math.round(top * (1 - fy) + bottom * fy);
                    out[o++] = (byte) Math.min(255, Math.max(0, v));
                }
            }
        }
        Image r = Image.fromRgb(w, h, out);
        return image.source() == null ? r : r.withSource(image.source());
    }

    /** Whether any transform is on. */
    public boolean enabled() {
        return flip || rotation > 0 || shift > 0 || zoom > 0;
    }

    /** Augmented copies of each training image (besides the original); 0 when not {@link #enabled()}. */
    public int copies() {
        return enabled() ? copies : 0;
    }

    public boolean flip() {
        return flip;
    }

    /** The largest rotation, in degrees. */
    public double rotation() {
        return rotation;
    }

    /** The largest shift, as a fraction of the width (and height). */
    public double shift() {
        return shift;
    }

    /** The largest zoom: the scale is in [1 - zoom, 1 + zoom]. */
    public double zoom() {
        return zoom;
    }

    /** The settings (flip, rotation, shift, zoom, copies), for fingerprints and provenance. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("flip", flip);
        m.put("rotation", rotation);
        m.put("shift", shift);
        m.put("zoom", zoom);
        m.put("copies", copies());
        return m;
    }

    /**
     * Parses the CLI form: comma-separated {@code flip}, {@code rotation=<max degrees>},
     * {@code shift=<max fraction>}, {@code zoom=<max fraction>}, {@code copies=<n>}; {@code none} or an
     * empty string is {@link #none()}. {@code flip=false} is accepted.
     *
     * @throws InvalidInputException naming the bad item
     */
    public static Augmentation parse(String spec) {
        if (spec == null || spec.trim().isEmpty() || spec.trim().equalsIgnoreCase("none")) {
            return none();
        }
        Builder b = builder();
        java.util.Set<String> seen = new java.util.HashSet<String>();
        for (String raw : spec.split(",", -1)) {
            String item = raw.trim();
            if (item.isEmpty()) {
                throw new InvalidInputException("Augmentation '" + spec + "' has an empty item; expected " + OPTIONS);
            }
            int eq = item.indexOf('=');
            String key = (eq < 0 ? item : item.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : item.substring(eq + 1).trim();
            if (!seen.add(key)) {
                throw new InvalidInputException("Augmentation '" + spec + "' sets '" + key + "' twice");
            }
            try {
                switch (key) {
                    case "flip":
                        if (value == null || value.equalsIgnoreCase("true")) {
                            b.optFlip(true);
                        } else if (value.equalsIgnoreCase("false")) {
                            b.optFlip(false);
                        } else {
                            throw new InvalidInputException("Augmentation item '" + item + "': flip takes no value (or true/false)");
                        }
                        break;
                    case "rotation":
                        b.optRotation(number(item, value));
                        break;
                    case "shift":
                        b.optShift(number(item, value));
                        break;
                    case "zoom":
                        b.optZoom(number(item, value));
                        break;
                    case "copies":
                        double c = number(item, value);
                        if (c != Math.rint(c) || c > Integer.MAX_VALUE) {
                            throw new InvalidInputException("Augmentation item '" + item + "': copies must be a whole number");
                        }
                        b.optCopies((int) c);
                        break;
                    default:
                        throw new InvalidInputException("Augmentation item '" + item + "' is unknown; expected " + OPTIONS);
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("Augmentation item '" + item + "': " + e.getMessage());
            }
        }
        return b.build();
    }

    private static double number(String item, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("Augmentation item '" + item + "' needs a value, e.g. " + item + "=0.1");
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("Augmentation item '" + item + "': '" + value + "' is not a number");
        }
    }

    /** The {@link #parse} form, e.g. {@code flip,rotation=10,shift=0.1,zoom=0.1,copies=2}, or {@code none}. */
    @Override
    public String toString() {
        if (!enabled()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        if (flip) {
            sb.append("flip,");
        }
        if (rotation > 0) {
            sb.append("rotation=").append(format(rotation)).append(',');
        }
        if (shift > 0) {
            sb.append("shift=").append(format(shift)).append(',');
        }
        if (zoom > 0) {
            sb.append("zoom=").append(format(zoom)).append(',');
        }
        return sb.append("copies=").append(copies).toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Augmentation)) {
            return false;
        }
        Augmentation a = (Augmentation) o;
        return flip == a.flip && rotation == a.rotation && shift == a.shift && zoom == a.zoom && copies() == a.copies();
    }

    @Override
    public int hashCode() {
        return Objects.hash(flip, rotation, shift, zoom, copies());
    }

    /** Builds an {@link Augmentation}; everything off and one copy by default. */
    public static final class Builder {
        private boolean flip;
        private double rotation;
        private double shift;
        private double zoom;
        private int copies = 1;

        private Builder() {
        }

        /** Flips left-right with probability 0.5. */
        public Builder optFlip(boolean horizontal) {
            this.flip = horizontal;
            return this;
        }

        /** The largest rotation in degrees, 0-180. */
        public Builder optRotation(double maxDegrees) {
            this.rotation = check(maxDegrees, 180, true, "rotation (degrees)");
            return this;
        }

        /** The largest shift as a fraction of the size, 0-1. */
        public Builder optShift(double maxFraction) {
            this.shift = check(maxFraction, 1, true, "shift (fraction of the size)");
            return this;
        }

        /** The largest zoom: scales in [1 - maxFraction, 1 + maxFraction], maxFraction in [0, 1). */
        public Builder optZoom(double maxFraction) {
            this.zoom = check(maxFraction, 1, false, "zoom (fraction)");
            return this;
        }

        /** Augmented copies per training image, at least 1 (default 1). */
        public Builder optCopies(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("copies must be at least 1, got " + n);
            }
            this.copies = n;
            return this;
        }

        public Augmentation build() {
            return new Augmentation(flip, rotation, shift, zoom, copies);
        }

        private static double check(double v, double max, boolean maxIncluded, String what) {
            if (!(v >= 0) || v > max || (!maxIncluded && v == max)) {
                throw new IllegalArgumentException(what + " must be in [0, " + format(max) + (maxIncluded ? "]" : ")") + ", got " + v);
            }
            return v;
        }
    }
}
