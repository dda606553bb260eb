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
        this.tokens = null;
        this.starts = null;
        this.ends = null;
        this.special = null;
    }

    /**
     * An encoding with what token classification needs: each token's text, its character span {@code [start, end)}
     * in the original text (0, 0 for added special tokens) and whether it is a special token ([CLS], [SEP]...).
     */
    public Encoding(long[] ids, long[] typeIds, String[] tokens, int[] starts, int[] ends, boolean[] special) {
        this(ids, typeIds, tokens, starts, ends, special, true);
    }

    private Encoding(long[] ids, long[] typeIds, String[] tokens, int[] starts, int[] ends, boolean[] special, boolean check) {
        if (typeIds != null && typeIds.length != ids.length || tokens.length != ids.length || starts.length != ids.length
                || ends.length != ids.length || special.length != ids.length) {
            throw new IllegalArgumentException("ids, typeIds, tokens, offsets and special-token flags differ in length");
        }
        this.ids = ids;
        this.typeIds = typeIds;
        this.tokens = tokens;
        this.starts = starts;
        this.ends = ends;
        this.special = special;
    }

    private final String[] tokens;
    private final int[] starts;
    private final int[] ends;
    private final boolean[] special;

    /** Whether {@link #tokens()}, {@link #start(int)}, {@link #end(int)} and {@link #isSpecial(int)} are known. */
    public boolean hasOffsets() {
        return tokens != null;
    }

    /** The token strings (e.g. {@code "##ing"}), or {@code null} when {@link #hasOffsets()} is false. */
    public String[] tokens() {
        return tokens;
    }

    /** First character of token {@code i} in the original text. */
    public int start(int i) {
        return starts[i];
    }

    /** One past the last character of token {@code i} in the original text. */
    public int end(int i) {
        return ends[i];
    }

    /** Whether token {@code i} was added by the tokenizer ([CLS], [SEP], padding). */
    public boolean isSpecial(int i) {
        return special[i];
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
