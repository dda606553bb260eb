package dev.nnsdk.training.data;

import dev.nnsdk.image.Image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** An image already decoded; its key is the SHA-256 of width, height and the RGB samples. */
final class InMemoryImage implements ImageLoader {
    private final Image image;

    InMemoryImage(Image image) {
        this.image = image;
    }

    @Override
    public Image load() {
        return image;
    }

    @Override
    public String contentKey() {
        return key("rgb", image.width(), image.height(), image.toRgb(), 0, image.width() * image.height() * 3);
    }

    /** SHA-256 of a kind tag, the size and a slice of samples. */
    static String key(String kind, int width, int height, byte[] samples, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            TextDataset.update(md, kind + ":" + width + "x" + height);
            md.update(samples, offset, length);
            return TextDataset.hex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
