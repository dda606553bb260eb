package dev.nnsdk.image;

import dev.nnsdk.EngineException;
import dev.nnsdk.plugin.Plugins;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns encoded image files (PNG, JPEG, ...) into {@link Image}s. A plug-in found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.nnsdk.image.ImageDecoder}); on the
 * JVM the {@code model-zoo} module provides one built on javax.imageio. Android apps, which have
 * no javax.imageio, decode with {@code BitmapFactory} and call {@link Image#fromArgb}.
 *
 * <pre>{@code
 * Image image = ImageDecoder.get().decode(Path.of("dog.jpg"));
 * }</pre>
 *
 * Implementations are thread-safe and return RGB images whatever the file holds (grey, palette,
 * 16-bit, alpha), or throw {@link dev.nnsdk.InvalidInputException} naming the file.
 */
public interface ImageDecoder {

    /**
     * Decodes the first image of a file.
     *
     * @throws dev.nnsdk.InvalidInputException naming the file when it is missing, not an image, damaged,
     *                                         in an unsupported colour model, or too large
     */
    Image decode(Path file);

    /**
     * Decodes encoded image bytes; {@code name} identifies them in errors and in {@link Image#source()}.
     *
     * @throws dev.nnsdk.InvalidInputException as {@link #decode(Path)}
     */
    Image decode(byte[] data, String name);

    /** The first decoder on the class path. */
    static ImageDecoder get() {
        List<ImageDecoder> all = Plugins.load(ImageDecoder.class);
        if (all.isEmpty()) {
            throw new EngineException("No image decoder on the class path: add the dependency dev.nnsdk:model-zoo, "
                    + "or decode the image yourself and pass Image.fromArgb(width, height, pixels)");
        }
        return all.get(0);
    }
}
