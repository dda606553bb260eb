package dev.nnsdk.training.data;

import dev.nnsdk.image.Image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled image: its label, where it came from ({@code dir/cat/001.jpg},
 * {@code train-images-idx3-ubyte.gz#1234}) and a loader that decodes it on demand, so a dataset of
 * files holds names, not pixels.
 *
 * <pre>{@code
 * ImageExample e = ImageExample.ofFile("cat", Path.of("photos/cat/001.jpg"));
 * Image image = e.load();          // decodes the file (every call)
 * String key = e.contentKey();     // SHA-256 of the file bytes, computed once
 * }</pre>
 */
public final class ImageExample {
    private final String label;
    private final String source;
    private final ImageLoader loader;
    private volatile String contentKey;

    public ImageExample(String label, String source, ImageLoader loader) {
        this.label = Objects.requireNonNull(label, "label");
        this.source = source == null ? "" : source;
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * An image file, decoded by {@link dev.nnsdk.image.ImageDecoder#get()} at each {@link #load()};
     * its content key is the SHA-256 of the file's bytes.
     */
    public static ImageExample ofFile(String label, Path file) {
        return new ImageExample(label, file.toString(), new ImageFile(file));
    }

    /**
     * An image already in memory (source: {@link Image#source()}, or empty); its content key is the
     * SHA-256 of its size and RGB samples.
     */
    public static ImageExample ofImage(String label, Image image) {
        Objects.requireNonNull(image, "image");
        return new ImageExample(label, image.source(), new InMemoryImage(image));
    }

    public String label() {
        return label;
    }

    /** Where the image came from: a file, {@code file#index} for IDX, or empty for images built in code. */
    public String source() {
        return source;
    }

    /**
     * Decodes the image (files: every call, nothing cached).
     *
     * @throws dev.nnsdk.InvalidInputException naming the file when it is missing, damaged or not an image
     */
    public Image load() {
        return loader.load();
    }

    /** A stable SHA-256 (hex) of the image content (file bytes, or IDX pixels), computed once. */
    public String contentKey() {
        String k = contentKey;
        if (k == null) {
            k = loader.contentKey();
            contentKey = k;
        }
        return k;
    }

    ImageLoader loader() {
        return loader;
    }

    @Override
    public String toString() {
        return "ImageExample{" + label + ", " + source + '}';
    }
}
