package dev.nnsdk.text;

/**
 * One tokenised text: word-piece ids with special tokens, their token-type ids, and how many
 * tokens there are (all of them real: padding is added later, per batch).
 */
public final class Encoding {
    private final long[] ids;
    private final long[] typeIds;

    public Encoding(long[] ids, long[] typeIds) {
        if (typeIds != null && typeIds.length != ids.length) {
            throw new IllegalArgumentException("ids and typeIds differ in length");
        }
        this.ids = ids;
        this.typeIds = typeIds;
    }

    /** Token ids (do not modify). */
    public long[] ids() {
        return ids;
    }

    /** Token type ids (do not modify); {@code null} means all zeros. */
    public long[] typeIds() {
        return typeIds;
    }

    public int length() {
        return ids.length;
    }
}
