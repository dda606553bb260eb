package dev.nnsdk.inference;

import dev.nnsdk.repository.TextSpec;

import java.nio.FloatBuffer;

/** Pools token states [batch, seq, hidden] into one vector per row, then optionally L2-normalises. */
final class Pooling {
    private Pooling() {
    }

    /**
     * @param states  row-major [batch, seq, hidden] (or [batch, hidden] for {@link TextSpec.Pooling#NONE})
     * @param lengths real tokens per row (right padding follows)
     */
    public static float[][] pool(FloatBuffer states, int batch, int seq, int hidden, int[] lengths,
                                 TextSpec.Pooling pooling, boolean normalize) {
        float[][] out = new float[batch][hidden];
        float[] row = pooling == TextSpec.Pooling.NONE || pooling == TextSpec.Pooling.CLS ? null : new float[hidden];
        for (int b = 0; b < batch; b++) {
            float[] v = out[b];
            switch (pooling) {
                case NONE:
                    ((java.nio.Buffer) states).position(b * hidden);
                    states.get(v);
                    break;
                case CLS:
                    ((java.nio.Buffer) states).position(b * seq * hidden);
                    states.get(v);
                    break;
                default:
                    // Sum rows read in bulk (one bounds check per row, not per element), then scale.
                    int n = Math.max(1, Math.min(seq, lengths[b]));
                    ((java.nio.Buffer) states).position(b * seq * hidden);
                    for (int t = 0; t < n; t++) {
                        states.get(row);
                        for (int h = 0; h < hidden; h++) {
                            v[h] += row[h];
                        }
                    }
                    float inv = 1f / n;
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
