package dev.nnsdk.repository;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How an image model's input is prepared and its output read, all taken from the model's
 * descriptor: target size, resize and crop, tensor layout, scaling and per-channel
 * normalisation, the outputs holding features and class scores, and the class labels.
 *
 * <p>Pixels are first scaled ({@code value * scale}), then normalised per channel
 * ({@code (value - mean[c]) / std[c]}), in RGB order.
 */
public final class ImageSpec {

    /** Tensor layout of the image input. */
    public enum Layout {
        NCHW, NHWC;

        public static Layout parse(String s) {
            return parseEnum(Layout.class, "layout", s);
        }
    }

    /** How the decoded image reaches the target size. */
    public enum Resize {
        /** Scale to exactly width x height, ignoring aspect ratio. */
        STRETCH,
        /** Scale the shorter side to {@code resizeShorter}, then crop the centre width x height (torchvision style). */
        SHORTER_THEN_CENTER_CROP,
        /**
         * Keep the aspect ratio: scale by {@code min(width / w, height / h)} to {@code round(w * s) x round(h * s)}, then
         * pad to width x height with {@link #padValue()} at {@link #padPosition()} (letterbox: PaddleOCR, YOLO).
         */
        KEEP_ASPECT_PAD;

        public static Resize parse(String s) {
            return parseEnum(Resize.class, "resize", s);
        }
    }

    /** Where a {@link Resize#KEEP_ASPECT_PAD} image sits in its padded canvas. */
    public enum PadPosition {
        /** At the top-left corner: padding at the right and bottom (PaddleOCR). */
        RIGHT_BOTTOM,
        /** Centred: padding split, the extra pixel (odd padding) at the right / bottom (YOLO letterbox). */
        CENTER;

        public static PadPosition parse(String s) {
            return parseEnum(PadPosition.class, "padPosition", s);
        }
    }

    /** Channel order of the model's input. */
    public enum ChannelOrder {
        RGB, BGR;

        public static ChannelOrder parse(String s) {
            return parseEnum(ChannelOrder.class, "channels", s);
        }
    }

    /**
     * How pixels are sampled when the image is resized, without antialiasing, as PyTorch's
     * {@code F.interpolate} does on float tensors (so results are reproducible in PyTorch and numpy).
     */
    public enum Interpolation {
        /**
         * Half-pixel centres: {@code src = (dst + 0.5) * in / out - 0.5}, clamped at 0. The same as PyTorch
         * {@code F.interpolate(mode="bilinear", align_corners=False)}, torchvision {@code Resize(antialias=False)}
         * on tensors, and OpenCV {@code INTER_LINEAR}.
         */
        BILINEAR,
        /**
         * Corner pixels aligned: {@code src = dst * (in - 1) / (out - 1)}. The same as TensorFlow.js
         * {@code tf.image.resizeBilinear(..., alignCorners=true)} (what nsfwjs uses) and PyTorch
         * {@code align_corners=True}.
         */
        BILINEAR_ALIGN_CORNERS,
        /** Cubic convolution, a = -0.75, half-pixel centres, edge pixels repeated: {@code F.interpolate(mode="bicubic")}. */
        BICUBIC,
        /** The pixel at {@code floor(dst * in / out)}: {@code F.interpolate(mode="nearest")} (OpenCV {@code INTER_NEAREST}). */
        NEAREST,
        /** The mean of the source pixels each output pixel covers: {@code F.interpolate(mode="area")} (adaptive average pooling). */
        AREA;

        public static Interpolation parse(String s) {
            return parseEnum(Interpolation.class, "interpolation", s);
        }
    }

    /** Parses {@code shorter-then-center-crop} style names; the error lists the accepted values. */
    private static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String s) {
        String key = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(key)) {
                return e;
            }
            names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException(field + " '" + s + "' is not one of " + names);
    }

    private final int width;
    private final int height;
    private final Layout layout;
    private final Resize resize;
    private final int resizeShorter;
    private final Interpolation interpolation;
    private final float scale;
    private final float[] mean;
    private final float[] std;
    private final String featuresOutput;
    private final String scoresOutput;
    private final boolean scoresAreLogits;
    private final List<String> labels;
    private final float offset;
    private final ChannelOrder channelOrder;
    private final PadPosition padPosition;
    private final float[] padValue;

    private ImageSpec(Builder b) {
        if (b.width < 1 || b.height < 1) {
            throw new IllegalArgumentException("image width and height must be >= 1");
        }
        if (b.mean.length != 3 || b.std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (RGB)");
        }
        for (float s : b.std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be > 0, got " + Arrays.toString(b.std));
            }
        }
        if (b.resize == Resize.SHORTER_THEN_CENTER_CROP && b.resizeShorter > 0
                && b.resizeShorter < Math.max(b.width, b.height)) {
            throw new IllegalArgumentException("resizeShorter (" + b.resizeShorter + ") must be at least the crop size "
                    + b.width + "x" + b.height);
        }
        this.width = b.width;
        this.height = b.height;
        this.layout = b.layout;
        this.resize = b.resize;
        this.resizeShorter = b.resizeShorter > 0 ? b.resizeShorter : Math.max(b.width, b.height);
        this.interpolation = b.interpolation;
        this.scale = b.scale;
        this.mean = b.mean.clone();
        this.std = b.std.clone();
        this.featuresOutput = b.featuresOutput;
        this.scoresOutput = b.scoresOutput;
        this.scoresAreLogits = b.scoresAreLogits;
        this.labels = Collections.unmodifiableList(b.labels);
        this.offset = b.offset;
        this.channelOrder = b.channelOrder;
        this.padPosition = b.padPosition;
        if (b.padValue.length != 3) {
            throw new IllegalArgumentException("padValue needs 3 values (0-255, RGB), got " + b.padValue.length);
        }
        this.padValue = b.padValue.clone();
    }

    /** Added after {@link #scale()}: {@code v * scale + offset} (-1 with scale 2/255 maps to [-1, 1]). */
    public float offset() {
        return offset;
    }

    /** The model's channel order; {@link #mean()} and {@link #std()} are in this order. */
    public ChannelOrder channelOrder() {
        return channelOrder;
    }

    /** Where the image sits when {@link Resize#KEEP_ASPECT_PAD} pads it. */
    public PadPosition padPosition() {
        return padPosition;
    }

    /** The padding colour in 0-255 RGB, before scaling and normalisation (e.g. 114 for YOLO, 0 for PaddleOCR). */
    public float[] padValue() {
        return padValue.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public Layout layout() {
        return layout;
    }

    public Resize resize() {
        return resize;
    }

    /** Shorter-side length before the centre crop (for {@link Resize#SHORTER_THEN_CENTER_CROP}). */
    public int resizeShorter() {
        return resizeShorter;
    }

    /** How pixels are sampled when resizing (default {@link Interpolation#BILINEAR}). */
    public Interpolation interpolation() {
        return interpolation;
    }

    /** Factor applied to 0-255 pixel values first (1/255 maps to [0, 1]). */
    public float scale() {
        return scale;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    /** The output with the feature vector (the backbone for fine-tuning), or {@code null}. */
    public String featuresOutput() {
        return featuresOutput;
    }

    /** The output with class scores, or {@code null} when the model has no classifier. */
    public String scoresOutput() {
        return scoresOutput;
    }

    /** Whether {@link #scoresOutput()} holds logits that need a softmax (else probabilities). */
    public boolean scoresAreLogits() {
        return scoresAreLogits;
    }

    /** Class names in output order (may be empty). */
    public List<String> labels() {
        return labels;
    }

    /** Builds an {@link ImageSpec}; width and height are required. */
    public static final class Builder {
        private int width;
        private int height;
        private Layout layout = Layout.NCHW;
        private Resize resize = Resize.STRETCH;
        private int resizeShorter;
        private Interpolation interpolation = Interpolation.BILINEAR;
        private float scale = 1f / 255f;
        private float[] mean = {0f, 0f, 0f};
        private float[] std = {1f, 1f, 1f};
        private String featuresOutput;
        private String scoresOutput;
        private boolean scoresAreLogits;
        private List<String> labels = Collections.emptyList();
        private float offset;
        private ChannelOrder channelOrder = ChannelOrder.RGB;
        private PadPosition padPosition = PadPosition.RIGHT_BOTTOM;
        private float[] padValue = {0f, 0f, 0f};

        /**
         * The value range after scaling: {@code "0-1"} (scale 1/255), {@code "0-255"} (scale 1), {@code "-1-1"}
         * (scale 2/255, offset -1); mean/std apply after it.
         */
        public Builder optRange(String range) {
            String r = range.trim();
            if (r.equals("0-1")) {
                scale = 1f / 255f;
                offset = 0f;
            } else if (r.equals("0-255")) {
                scale = 1f;
                offset = 0f;
            } else if (r.equals("-1-1")) {
                scale = 2f / 255f;
                offset = -1f;
            } else {
                throw new IllegalArgumentException("range '" + range + "' is not one of 0-1, 0-255, -1-1");
            }
            return this;
        }

        public Builder optOffset(float offset) {
            this.offset = offset;
            return this;
        }

        public Builder optChannelOrder(ChannelOrder order) {
            this.channelOrder = order == null ? ChannelOrder.RGB : order;
            return this;
        }

        public Builder optPad(PadPosition position, float[] value) {
            this.padPosition = position == null ? PadPosition.RIGHT_BOTTOM : position;
            this.padValue = value == null ? new float[] {0f, 0f, 0f} : value.clone();
            return this;
        }

        /** The model's input size, each side 1 to {@link dev.nnsdk.Ranges#MAX_IMAGE_SIDE} pixels. */
        public Builder setSize(int width, int height) {
            this.width = dev.nnsdk.Ranges.check("image width", width, 1, dev.nnsdk.Ranges.MAX_IMAGE_SIDE);
            this.height = dev.nnsdk.Ranges.check("image height", height, 1, dev.nnsdk.Ranges.MAX_IMAGE_SIDE);
            return this;
        }

        public Builder optLayout(Layout layout) {
            this.layout = layout;
            return this;
        }

        public Builder optResize(Resize resize, int shorterSide) {
            this.resize = resize;
            this.resizeShorter = shorterSide;
            return this;
        }

        public Builder optInterpolation(Interpolation interpolation) {
            this.interpolation = interpolation == null ? Interpolation.BILINEAR : interpolation;
            return this;
        }

        public Builder optScale(float scale) {
            this.scale = scale;
            return this;
        }

        public Builder optNormalize(float[] mean, float[] std) {
            this.mean = mean.clone();
            this.std = std.clone();
            return this;
        }

        public Builder optFeaturesOutput(String name) {
            this.featuresOutput = name;
            return this;
        }

        public Builder optScoresOutput(String name, boolean logits) {
            this.scoresOutput = name;
            this.scoresAreLogits = logits;
            return this;
        }

        public Builder optLabels(List<String> labels) {
            this.labels = labels == null ? Collections.<String>emptyList() : new java.util.ArrayList<String>(labels);
            return this;
        }

        public ImageSpec build() {
            return new ImageSpec(this);
        }
    }
}
