package dev.nnsdk.training.data;

import dev.nnsdk.image.Image;

import java.util.Arrays;

/** One grey image inside the pixels of an IDX file held in memory (shared by all its examples). */
final class IdxImage implements ImageLoader {
    private final byte[] pixels;
    private final int offset;
    private final int rows;
    private final int cols;
    private final String source;

    IdxImage(byte[] pixels, int offset, int rows, int cols, String source) {
        this.pixels = pixels;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.source = source;
    }

    @Override
    public Image load() {
        return Image.fromGray(cols, rows, Arrays.copyOfRange(pixels, offset, offset + rows * cols)).withSource(source);
    }

    @Override
    public String contentKey() {
        return InMemoryImage.key("gray", cols, rows, pixels, offset, rows * cols);
    }
}
