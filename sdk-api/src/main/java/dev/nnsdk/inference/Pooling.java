package dev.nnsdk.inference;

import dev.nnsdk.repository.TextSpec;

import java.nio.FloatBuffer;

/**
 * Pools token states [batch, seq, hidden] into one vector per row, then optionally L2-normalises. The modes are
 * sentence-transformers' ({@code sentence_transformers.models.Pooling}); a row's real tokens are
 * {@code [start, length)}, where {@code start > 0} leaves prompt tokens out ({@code include_prompt: false}).
 */
final class Pooling {
    private Pooling() {
    }

    /**
     * @param states  row-major [batch, seq, hidden] (or [batch, hidden] for {@link TextSpec.Pooling#NONE})
     * @param lengths real tokens per row (right padding follows)
     */
    public static float[][] pool(FloatBuffer states, int batch, int seq, int hidden, int[] lengths,
                                 TextSpec.Pooling pooling, boolean normalize) {
        return pool(states, batch, seq, hidden, lengths, null, pooling, normalize);
    }

    /**
     * @param starts first pooled token per row (masked-out prompt tokens come before it), or {@code null} for 0.
     *               Ignored by {@link TextSpec.Pooling#CLS} and {@link TextSpec.Pooling#NONE}.
     */
    public static float[][] pool(FloatBuffer states, int batch, int seq, int hidden, int[] lengths, int[] starts,
                                 TextSpec.Pooling pooling, boolean normalize) {
        float[][] out = new float[batch][hidden];
        float[] row = new float[hidden];
        for (int b = 0; b < batch; b++) {
            float[] v = out[b];
            int end = Math.max(1, Math.min(seq, lengths[b]));
            int start = starts == null ? 0 : Math.min(Math.max(0, starts[b]), end - 1);
            switch (pooling) {
                case NONE:
                    ((java.nio.Buffer) states).position(b * hidden);
                    states.get(v);
                    break;
                case CLS:
                    ((java.nio.Buffer) states).position(b * seq * hidden);
                    states.get(v);
                    break;
                case LAST_TOKEN:
                    ((java.nio.Buffer) states).position((b * seq + end - 1) * hidden);
                    states.get(v);
                    break;
                case MAX:
                    ((java.nio.Buffer) states).position((b * seq + start) * hidden);
                    states.get(v);
                    for (int t = start + 1; t < end; t++) {
                        states.get(row);
                        for (int h = 0; h < hidden; h++) {
                            v[h] = Math.max(v[h], row[h]);
                        }
                    }
                    break;
                default:
                    // Sum rows read in bulk (one bounds check per row, not per element), then scale.
                    boolean weighted = pooling == TextSpec.Pooling.WEIGHTED_MEAN;
                    double weights = 0;
                    ((java.nio.Buffer) states).position((b * seq + start) * hidden);
                    for (int t = start; t < end; t++) {
                        states.get(row);
                        float w = weighted ? t + 1 : 1f;
                        weights += w;
                        for (int h = 0; h < hidden; h++) {
                            v[h] += w * row[h];
                        }
                    }
                    int n = end - start;
                    float inv = pooling == TextSpec.Pooling.MEAN_SQRT_LEN ? (float) (1.0 / Math.sqrt(n))
                            : (float) (1.0 / weights);
                    for (int h = 0; h < hidden; h++) {
                        v[h] *= inv;
                    }
            }
            if (normalize) {
                l2Normalize(v);
            }
        }
        return out;
    }

    /** Scales {@code v} to unit length in place (a zero vector stays zero). */
    public static void l2Normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double norm = Math.sqrt(s);
        if (norm > 1e-12) {
            float inv = (float) (1.0 / norm);
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }
}
