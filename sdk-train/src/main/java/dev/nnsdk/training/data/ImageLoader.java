package dev.nnsdk.training.data;

import dev.nnsdk.image.Image;

/**
 * Produces one image on demand and names its content. {@link ImageExample} holds one; the SDK
 * brings loaders for image files, IDX pixels and in-memory images ({@link ImageExample#ofFile},
 * {@link ImageExample#ofImage}). Implementations are thread-safe.
 *
 * <pre>{@code
 * ImageLoader fromDb = new ImageLoader() {
 *     public Image load() { return ImageDecoder.get().decode(db.bytes(id), "db#" + id); }
 *     public String contentKey() { return db.sha256(id); }
 * };
 * ImageExample e = new ImageExample("cat", "db#" + id, fromDb);
 * }</pre>
 */
public interface ImageLoader {

    /**
     * Decodes the image (every call; nothing is cached).
     *
     * @throws dev.nnsdk.InvalidInputException naming the source when it cannot be read or decoded
     */
    Image load();

    /**
     * A stable SHA-256 (lower-case hex) of the image content: the same content gives the same key in
     * every run, so a feature cache can be keyed by it.
     */
    String contentKey();
}
