package dev.nnsdk.zoo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of image decoding ({@link ImageIoDecoder}: PNG, JPEG, GIF, BMP, TIFF, WBMP
 * through javax.imageio) on arbitrary bytes: an image with a sane size, or an {@link InvalidInputException}
 * naming the input; never another exception, a hang or a JVM crash. A small pixel limit keeps
 * "decompression bomb" headers from filling the heap while fuzzing.
 */
class ImageDecoderFuzzTest {

    private static final long MAX_PIXELS = 1_000_000L;
    private static final ImageIoDecoder DECODER = new ImageIoDecoder(MAX_PIXELS);

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] data) {
        try {
            Image img = DECODER.decode(data, "fuzz-input.img");
            assertTrue(img.width() > 0 && img.height() > 0 && (long) img.width() * img.height() <= MAX_PIXELS,
                    "decoded size " + img.width() + "x" + img.height());
        } catch (InvalidInputException expected) {
            assertTrue(expected.getMessage().contains("fuzz-input.img"), "error does not name the input: " + expected.getMessage());
        }
    }
}
