package dev.nnsdk.image;

import dev.nnsdk.repository.ImageSpec;

import java.nio.FloatBuffer;

/**
 * Turns an {@link Image} into the float tensor an image model takes, exactly as its
 * {@link ImageSpec} says. The steps, in order:
 * <ol>
 *   <li><b>Geometry.</b> {@link ImageSpec.Resize#STRETCH}: resize to width x height, ignoring the
 *       aspect ratio. {@link ImageSpec.Resize#SHORTER_THEN_CENTER_CROP}: resize so the shorter side is
 *       {@code resizeShorter} and the longer side {@code floor(resizeShorter * long / short)} (as
 *       torchvision's {@code Resize(int)}), then crop width x height from the centre, at offsets
 *       {@code round((resized - crop) / 2)} with round-half-even (as torchvision's {@code CenterCrop}).
 *       {@link ImageSpec.Resize#KEEP_ASPECT_PAD}: resize by {@code s = min(width / w, height / h)} to
 *       {@code max(1, round(w * s)) x max(1, round(h * s))} (round half up), placed at the top-left
 *       ({@code right-bottom} padding) or centred (offsets {@code floor((target - resized) / 2)}); the rest is
 *       {@link ImageSpec#padValue()}.</li>
 *   <li><b>Resampling</b> on the 0-255 values in float, separably (rows, then columns), without antialiasing, as
 *       PyTorch's {@code F.interpolate} on a float tensor: {@code bilinear} (half-pixel centres,
 *       {@code align_corners=False}; also OpenCV {@code INTER_LINEAR}), {@code bilinear-align-corners}
 *       (TensorFlow.js {@code alignCorners=true}), {@code bicubic} (a = -0.75, edge pixels repeated),
 *       {@code nearest} ({@code floor(dst * in / out)}), {@code area} (adaptive average pooling). An axis already
 *       at its target size is copied unchanged.</li>
 *   <li><b>Values.</b> {@code (v * scale + offset - mean[c]) / std[c]} per channel {@code c} of the model's
 *       {@link ImageSpec#channelOrder()} (RGB or BGR; mean and std are in that order). Grey images arrive
 *       here as RGB with three equal channels (decoding replicates them).</li>
 *   <li><b>Layout.</b> {@code NCHW} (planes of R, G, B) or {@code NHWC} (interleaved).</li>
 * </ol>
 *
 * <pre>{@code
 * ImagePreprocessor pre = new ImagePreprocessor(descriptor.image());
 * float[] x = pre.apply(image);                      // one image, shape pre.shape(1)
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class ImagePreprocessor {

    private final ImageSpec spec;
    private final int width;
    private final int height;
    private final float scale;
    private final float[] mean;
    private final float[] std;

    public ImagePreprocessor(ImageSpec spec) {
        this.spec = spec;
        this.width = spec.width();
        this.height = spec.height();
        this.scale = spec.scale();
        this.mean = spec.mean();
        this.std = spec.std();
    }

    public ImageSpec spec() {
        return spec;
    }

    /** Floats per image: {@code 3 * width * height}. */
    public int valuesPerImage() {
        return 3 * width * height;
    }

    /** The tensor shape of a batch: {@code [batch, 3, h, w]} (NCHW) or {@code [batch, h, w, 3]} (NHWC). */
    public long[] shape(int batch) {
        return spec.layout() == ImageSpec.Layout.NCHW
                ? new long[] {batch, 3, height, width} : new long[] {batch, height, width, 3};
    }

    /**
     * The size {@code {width, height}} an image of {@code imageWidth x imageHeight} is resized to before
     * the crop (the target size itself for {@link ImageSpec.Resize#STRETCH}).
     */
    public int[] resizedSize(int imageWidth, int imageHeight) {
        if (spec.resize() == ImageSpec.Resize.STRETCH) {
            return new int[] {width, height};
        }
        int s = spec.resizeShorter();
        if (imageWidth <= imageHeight) {
            return new int[] {s, (int) ((long) s * imageHeight / imageWidth)};
        }
        return new int[] {(int) ((long) s * imageWidth / imageHeight), s};
    }

    /** The top-left corner {@code {left, top}} of the crop inside the resized image. */
    public int[] cropOrigin(int imageWidth, int imageHeight) {
        int[] r = resizedSize(imageWidth, imageHeight);
        return new int[] {(int) Math.rint((r[0] - width) / 2.0), (int) Math.rint((r[1] - height) / 2.0)};
    }

    /** The preprocessed image as a new array of {@link #valuesPerImage()} floats. */
    public float[] apply(Image image) {
        return compute(image);
    }

    /**
     * Writes the preprocessed image into {@code out} at its position and advances the position by
     * {@link #valuesPerImage()}; batches are built by calling this once per image.
     */
    public void apply(Image image, FloatBuffer out) {
        if (out.remaining() < valuesPerImage()) {
            throw new IllegalArgumentException("Buffer has " + out.remaining() + " floats left, an image needs " + valuesPerImage());
        }
        out.put(compute(image));
    }

    /** Where the resized image lands in the output: {left, top, resizedWidth, resizedHeight} (padding outside). */
    int[] placement(int imageWidth, int imageHeight) {
        if (spec.resize() == ImageSpec.Resize.KEEP_ASPECT_PAD) {
            double sc = Math.min((double) width / imageWidth, (double) height / imageHeight);
            int nw = (int) Math.max(1, Math.min(width, Math.floor(imageWidth * sc + 0.5)));
            int nh = (int) Math.max(1, Math.min(height, Math.floor(imageHeight * sc + 0.5)));
            boolean centre = spec.padPosition() == ImageSpec.PadPosition.CENTER;
            return new int[] {centre ? (width - nw) / 2 : 0, centre ? (height - nh) / 2 : 0, nw, nh};
        }
        return null;
    }

    private float[] compute(Image image) {
        int iw = image.width();
        int ih = image.height();
        int[] place = placement(iw, ih);
        Taps ax;
        Taps ay;
        int left = 0;
        int top = 0;
        int cw = width;
        int ch = height;
        if (place != null) {
            left = place[0];
            top = place[1];
            cw = place[2];
            ch = place[3];
            ax = new Taps(iw, cw, 0, cw, spec.interpolation());
            ay = new Taps(ih, ch, 0, ch, spec.interpolation());
        } else {
            int[] resized = resizedSize(iw, ih);
            int[] origin = cropOrigin(iw, ih);
            ax = new Taps(iw, resized[0], origin[0], width, spec.interpolation());
            ay = new Taps(ih, resized[1], origin[1], height, spec.interpolation());
        }
        byte[] px = image.rgbUnsafe();
        // rows first: for each needed source row, resample along x into [cw][3]
        float[][] rows = new float[ih][];
        float[] tmp = new float[3];
        float[] out = new float[cw * ch * 3];
        for (int oy = 0; oy < ch; oy++) {
            int o = oy * cw * 3;
            for (int t = ay.start[oy]; t < ay.start[oy + 1]; t++) {
                int sy = ay.index[t];
                float wy = ay.weight[t];
                float[] r = rows[sy];
                if (r == null) {
                    r = rows[sy] = new float[cw * 3];
                    int base = sy * iw * 3;
                    for (int ox = 0; ox < cw; ox++) {
                        tmp[0] = 0f;
                        tmp[1] = 0f;
                        tmp[2] = 0f;
                        for (int k = ax.start[ox]; k < ax.start[ox + 1]; k++) {
                            int p = base + ax.index[k] * 3;
                            float w = ax.weight[k];
                            tmp[0] += w * (px[p] & 0xFF);
                            tmp[1] += w * (px[p + 1] & 0xFF);
                            tmp[2] += w * (px[p + 2] & 0xFF);
                        }
                        r[ox * 3] = tmp[0];
                        r[ox * 3 + 1] = tmp[1];
                        r[ox * 3 + 2] = tmp[2];
                    }
                }
                for (int k = 0; k < cw * 3; k++) {
                    out[o + k] += wy * r[k];
                }
            }
        }
        boolean nchw = spec.layout() == ImageSpec.Layout.NCHW;
        boolean bgr = spec.channelOrder() == ImageSpec.ChannelOrder.BGR;
        float offset = spec.offset();
        float[] pad = spec.padValue();
        int plane = width * height;
        float[] values = new float[valuesPerImage()];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int pixel = y * width + x;
                int cx = x - left;
                int cy = y - top;
                boolean inside = cx >= 0 && cy >= 0 && cx < cw && cy < ch;
                for (int c = 0; c < 3; c++) {
                    int src = bgr ? 2 - c : c;
                    float v = inside ? out[(cy * cw + cx) * 3 + src] : pad[src];
                    values[nchw ? c * plane + pixel : pixel * 3 + c] = (v * scale + offset - mean[c]) / std[c];
                }
            }
        }
        return values;
    }

    /**
     * Source taps along one axis: output {@code o} (of the crop) reads {@code index[k]} with weight {@code weight[k]}
     * for {@code k} in {@code [start[o], start[o + 1])}, with PyTorch's upsample formulas; source positions and
     * weights are computed in double (then stored as float) so that a long axis loses no precision.
     */
    private static final class Taps {
        final int[] start;
        int[] index;
        float[] weight;
        private int n;

        Taps(int in, int resized, int offset, int out, ImageSpec.Interpolation mode) {
            start = new int[out + 1];
            index = new int[out * 4];
            weight = new float[out * 4];
            for (int o = 0; o < out; o++) {
                start[o] = n;
                int dst = o + offset;
                if (in == resized) {
                    add(dst, 1f);
                    continue;
                }
                switch (mode) {
                    case NEAREST: {
                        float sc = (float) in / resized;            // float, as PyTorch: decides which pixel is taken
                        add(Math.min((int) Math.floor(dst * sc), in - 1), 1f);
                        break;
                    }
                    case AREA: {
                        int a = (int) ((long) dst * in / resized);
                        int b = (int) (((long) (dst + 1) * in + resized - 1) / resized);
                        for (int k = a; k < b; k++) {
                            add(k, 1f / (b - a));
                        }
                        break;
                    }
                    case BICUBIC: {
                        double sc = (double) in / resized;
                        double src = sc * (dst + 0.5) - 0.5;
                        int i0 = (int) Math.floor(src);
                        double t = src - i0;
                        double a = -0.75;
                        double x1 = t + 1;
                        double x2 = 1 - t;
                        double x3 = 2 - t;
                        double[] w = {
                            ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a,
                            ((a + 2) * t - (a + 3)) * t * t + 1,
                            ((a + 2) * x2 - (a + 3)) * x2 * x2 + 1,
                            ((a * x3 - 5 * a) * x3 + 8 * a) * x3 - 4 * a};
                        for (int k = 0; k < 4; k++) {
                            add(Math.min(Math.max(i0 - 1 + k, 0), in - 1), (float) w[k]);
                        }
                        break;
                    }
                    default: {
                        boolean corners = mode == ImageSpec.Interpolation.BILINEAR_ALIGN_CORNERS;
                        double sc = corners ? (resized > 1 ? (double) (in - 1) / (resized - 1) : 0) : (double) in / resized;
                        double src = corners ? sc * dst : Math.max(sc * (dst + 0.5) - 0.5, 0);
                        int lo = Math.min((int) src, in - 1);
                        double lambda = Math.min(Math.max(src - lo, 0), 1);
                        float w1 = (float) lambda;
                        add(lo, 1f - w1);                      // the two weights sum to exactly 1 in float
                        add(lo < in - 1 ? lo + 1 : lo, w1);
                    }
                }
            }
            start[out] = n;
        }

        private void add(int i, float w) {
            if (n == index.length) {
                index = java.util.Arrays.copyOf(index, n * 2);
                weight = java.util.Arrays.copyOf(weight, n * 2);
            }
            index[n] = i;
            weight[n] = w;
            n++;
        }
    }
}
