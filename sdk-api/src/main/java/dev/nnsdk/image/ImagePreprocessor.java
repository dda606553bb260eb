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
 *       {@code round((resized - crop) / 2)} with round-half-even (as torchvision's {@code CenterCrop}).</li>
 *   <li><b>Resampling.</b> Bilinear, without antialiasing, with the sampling grid of
 *       {@link ImageSpec#interpolation()}: half-pixel centres (PyTorch {@code align_corners=False}) or
 *       aligned corners (TensorFlow.js {@code alignCorners=true}). Interpolation runs on the 0-255
 *       values in float. An image already at the target size is copied unchanged.</li>
 *   <li><b>Values.</b> {@code (v * scale - mean[c]) / std[c]} per RGB channel {@code c}.</li>
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

    private float[] compute(Image image) {
        int iw = image.width();
        int ih = image.height();
        int[] resized = resizedSize(iw, ih);
        int[] origin = cropOrigin(iw, ih);
        Axis ax = new Axis(iw, resized[0], origin[0], width, spec.interpolation());
        Axis ay = new Axis(ih, resized[1], origin[1], height, spec.interpolation());
        byte[] px = image.rgbUnsafe();
        boolean nchw = spec.layout() == ImageSpec.Layout.NCHW;
        boolean copy = ax.identity && ay.identity;
        int plane = width * height;
        float[] values = new float[valuesPerImage()];
        for (int oy = 0; oy < height; oy++) {
            int row0 = ay.i0[oy] * iw;
            int row1 = ay.i1[oy] * iw;
            float h0 = ay.w0[oy];
            float h1 = ay.w1[oy];
            for (int ox = 0; ox < width; ox++) {
                int p00 = (row0 + ax.i0[ox]) * 3;
                int p01 = (row0 + ax.i1[ox]) * 3;
                int p10 = (row1 + ax.i0[ox]) * 3;
                int p11 = (row1 + ax.i1[ox]) * 3;
                float w0 = ax.w0[ox];
                float w1 = ax.w1[ox];
                int pixel = oy * width + ox;
                for (int c = 0; c < 3; c++) {
                    float v;
                    if (copy) {
                        v = px[p00 + c] & 0xFF;
                    } else {
                        float top = w0 * (px[p00 + c] & 0xFF) + w1 * (px[p01 + c] & 0xFF);
                        float bottom = w0 * (px[p10 + c] & 0xFF) + w1 * (px[p11 + c] & 0xFF);
                        v = h0 * top + h1 * bottom;
                    }
                    values[nchw ? c * plane + pixel : pixel * 3 + c] = (v * scale - mean[c]) / std[c];
                }
            }
        }
        return values;
    }

    /**
     * Source indices and weights along one axis: output index {@code o} of the crop reads the input at
     * {@code i0[o]} and {@code i1[o]} with weights {@code w0[o]} and {@code w1[o]}, computed as PyTorch's
     * {@code upsample_bilinear2d} does (float arithmetic, source index clamped at 0).
     */
    private static final class Axis {
        final int[] i0;
        final int[] i1;
        final float[] w0;
        final float[] w1;
        final boolean identity;

        Axis(int in, int resized, int offset, int out, ImageSpec.Interpolation mode) {
            i0 = new int[out];
            i1 = new int[out];
            w0 = new float[out];
            w1 = new float[out];
            identity = in == resized;
            boolean corners = mode == ImageSpec.Interpolation.BILINEAR_ALIGN_CORNERS;
            float scale = corners ? (resized > 1 ? (float) (in - 1) / (resized - 1) : 0f) : (float) in / resized;
            for (int o = 0; o < out; o++) {
                int dst = o + offset;
                if (identity) {
                    i0[o] = dst;
                    i1[o] = dst;
                    w0[o] = 1f;
                    continue;
                }
                float src = corners ? scale * dst : Math.max(scale * (dst + 0.5f) - 0.5f, 0f);
                int lo = Math.min((int) src, in - 1);
                float lambda = Math.min(Math.max(src - lo, 0f), 1f);
                i0[o] = lo;
                i1[o] = lo < in - 1 ? lo + 1 : lo;
                w1[o] = lambda;
                w0[o] = 1f - lambda;
            }
        }
    }
}
