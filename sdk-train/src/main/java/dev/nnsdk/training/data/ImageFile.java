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
 * Loads an image file with {@link ImageDecoder#get()} (which refuses truncated or damaged files,
 * naming them); its content key is the SHA-256 of the file's bytes.
 */
final class ImageFile implements ImageLoader {
    private final Path file;

    ImageFile(Path file) {
        this.file = file;
    }

    @Override
    public Image load() {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("Image file " + file + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        return ImageDecoder.get().decode(file);
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
}
