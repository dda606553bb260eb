package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Loads an image file with {@link ImageDecoder#get()}. JPEGs are read whole first and refused when
 * truncated (no end-of-image marker): javax.imageio only warns about those and returns the missing
 * part as grey, which would train on half-grey pictures.
 */
final class ImageFile implements ImageLoader {
    /** JPEG files larger than this are refused before reading them into memory. */
    static final long MAX_JPEG_BYTES = 512L << 20;

    private final Path file;

    ImageFile(Path file) {
        this.file = file;
    }

    @Override
    public Image load() {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("Image file " + file + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        byte[] head = head(file);
        if (!isJpeg(head)) {
            return ImageDecoder.get().decode(file);
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_JPEG_BYTES) {
                throw new InvalidInputException("Image file " + file + " is " + (size >> 20) + " MB; JPEG files over "
                        + (MAX_JPEG_BYTES >> 20) + " MB are refused");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read image file " + file + ": " + e.getMessage(), e);
        }
        if (!JpegStructure.complete(bytes)) {
            throw new InvalidInputException(file + " is a truncated JPEG (" + bytes.length
                    + " bytes, no end-of-image marker after the image data)");
        }
        return ImageDecoder.get().decode(bytes, file.toString());
    }

    @Override
    public String contentKey() {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return TextDataset.hex(md.digest());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("Image file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read image file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(3);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read image file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }
}
