package dev.nnsdk.bench;

import java.util.Locale;

/**
 * FLOPs of a BERT-style encoder forward pass, counted on real (non-padding) tokens.
 *
 * <p>Per layer, for a text of {@code L} real tokens, hidden size {@code h}, feed-forward size
 * {@code f}: the Q, K, V and output projections are 4 matrix products of [L,h]x[h,h] =
 * {@code 8·L·h²} FLOPs (2 per multiply-add); the feed-forward block is [L,h]x[h,f] and [L,f]x[f,h] =
 * {@code 4·L·h·f}; attention scores QKᵀ and the weighted sum AV are, summed over heads,
 * [L,d]x[d,L] and [L,L]x[L,d] with {@code heads·d = h}, so {@code 4·L²·h} whatever the head count.
 * Total: {@code layers · (8·L·h² + 4·L·h·f + 4·L²·h)}. Softmax, GELU, LayerNorm, biases and the
 * embedding lookup are O(L·h) and left out (under 1% here). For all-MiniLM-L6-v2 (6 layers,
 * h 384, f 1536, 12 heads) that is 21.2 MFLOP per token plus 9,216·L for attention.
 */
public final class BertFlops {
    private final int layers;
    private final int hidden;
    private final int ffn;
    private final int heads;

    public BertFlops(int layers, int hidden, int ffn, int heads) {
        this.layers = layers;
        this.hidden = hidden;
        this.ffn = ffn;
        this.heads = heads;
    }

    /** Known configurations by zoo id; {@code null} when unknown. */
    public static BertFlops forModel(String id) {
        if (id != null && id.toLowerCase(Locale.ROOT).contains("minilm-l6")) {
            return new BertFlops(6, 384, 1536, 12);
        }
        return null;
    }

    /** FLOPs for one text of {@code tokens} real tokens. */
    public double flops(int tokens) {
        double l = tokens;
        double h = hidden;
        return layers * (8 * l * h * h + 4 * l * h * ffn + 4 * l * l * h);
    }

    /** FLOPs for many texts. */
    public double flops(int[] tokens) {
        double s = 0;
        for (int t : tokens) {
            s += flops(t);
        }
        return s;
    }

    public String describe() {
        return "layers=" + layers + ", hidden=" + hidden + ", ffn=" + ffn + ", heads=" + heads
                + "; FLOPs(text of L tokens) = layers*(8*L*h^2 + 4*L*h*ffn + 4*L^2*h)";
    }
}
