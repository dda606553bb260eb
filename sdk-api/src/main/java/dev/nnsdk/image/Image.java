package dev.nnsdk.image;

import dev.nnsdk.InvalidInputException;

/**
 * An immutable RGB image: width, height and 8-bit red, green and blue samples, row-major from the
 * top-left corner. It is what every image model takes, whatever decoded it.
 *
 * <p>On the JVM, {@link ImageDecoder#get()} decodes files ({@code model-zoo} brings a javax.imageio
 * decoder). On Android, where javax.imageio does not exist, hand the pixels over yourself:
 * <pre>{@code
 * int[] argb = new int[bitmap.getWidth() * bitmap.getHeight()];
 * bitmap.getPixels(argb, 0, bitmap.getWidth(), 0, 0, bitmap.getWidth(), bitmap.getHeight());
 * Image image = Image.fromArgb(bitmap.getWidth(), bitmap.getHeight(), argb);
 * List<Classification> top = classifier.classify(image, 3);
 * }</pre>
 *
 * Alpha is dropped (the colour samples are kept as they are), as PIL's {@code convert("RGB")} and
 * TensorFlow.js {@code fromPixels(image, 3)} do. The factories copy their input.
 */
public final class Image {

    /** The most pixels an image may have: 2^28 (268 megapixels), so three samples per pixel fit a Java array. */
    public static final long MAX_PIXELS = 1L << 28;

    private final int width;
    private final int height;
    private final byte[] rgb;
    private final String source;

    private Image(int width, int height, byte[] rgb, String source) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.source = source;
    }

    /**
     * An image from packed {@code 0xAARRGGBB} pixels (Android's {@code Bitmap.getPixels},
     * {@code BufferedImage.getRGB}), row-major; alpha is ignored.
     */
    public static Image fromArgb(int width, int height, int[] argb) {
        checkSize(width, height, argb == null ? -1 : argb.length, 1, "argb");
        byte[] out = new byte[width * height * 3];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            int p = argb[i];
            out[j] = (byte) (p >> 16);
            out[j + 1] = (byte) (p >> 8);
            out[j + 2] = (byte) p;
        }
        return new Image(width, height, out, null);
    }

    /** An image from interleaved R, G, B bytes, row-major ({@code 3 * width * height} values). */
    public static Image fromRgb(int width, int height, byte[] rgb) {
        checkSize(width, height, rgb == null ? -1 : rgb.length, 3, "rgb");
        return new Image(width, height, rgb.clone(), null);
    }

    /** An image from one grey byte per pixel, row-major; each grey value becomes R = G = B. */
    public static Image fromGray(int width, int height, byte[] gray) {
        checkSize(width, height, gray == null ? -1 : gray.length, 1, "gray");
        byte[] out = new byte[width * height * 3];
        for (int i = 0, j = 0; i < gray.length; i++, j += 3) {
            out[j] = gray[i];
            out[j + 1] = gray[i];
            out[j + 2] = gray[i];
        }
        return new Image(width, height, out, null);
    }

    /** The same pixels, labelled with where they came from (a file name), for error messages and results. */
    public Image withSource(String source) {
        return new Image(width, height, rgb, source);
    }

    private static void checkSize(int width, int height, int length, int perPixel, String what) {
        if (width < 1 || height < 1) {
            throw new InvalidInputException("Image size must be at least 1x1, got " + width + "x" + height);
        }
        if ((long) width * height > MAX_PIXELS) {
            throw new InvalidInputException("Image of " + width + "x" + height + " has more than " + MAX_PIXELS + " pixels");
        }
        long expected = (long) width * height * perPixel;
        if (length != expected) {
            throw new InvalidInputException("A " + width + "x" + height + " image needs " + expected + " " + what
                    + " values, got " + (length < 0 ? "null" : String.valueOf(length)));
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Where the pixels came from (e.g. a file name), or {@code null}. */
    public String source() {
        return source;
    }

    /** Red, green or blue ({@code channel} 0, 1, 2) of pixel (x, y), 0-255. */
    public int sample(int x, int y, int channel) {
        if (x < 0 || y < 0 || x >= width || y >= height || channel < 0 || channel > 2) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ", " + channel + ") is outside " + width + "x" + height + "x3");
        }
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** Pixel (x, y) packed as {@code 0xFFRRGGBB}. */
    public int argb(int x, int y) {
        return 0xFF000000 | sample(x, y, 0) << 16 | sample(x, y, 1) << 8 | sample(x, y, 2);
    }

    /** A copy of the interleaved RGB bytes. */
    public byte[] toRgb() {
        return rgb.clone();
    }

    /** The backing array, not copied: for the SDK's own preprocessing, which never writes to it. */
    byte[] rgbUnsafe() {
        return rgb;
    }

    @Override
    public String toString() {
        return "Image{" + width + "x" + height + (source == null ? "" : ", " + source) + '}';
    }
}
