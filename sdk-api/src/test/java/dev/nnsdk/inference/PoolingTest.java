package dev.nnsdk.inference;

import dev.nnsdk.repository.TextSpec;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PoolingTest {

    // [batch 2, seq 3, hidden 2]; row 0 has 2 real tokens, row 1 has 3.
    private static final float[] STATES = {
            1, 2, 3, 4, 100, 100,
            -1, 0, 2, 0, 2, 6,
    };

    @Test
    void meanIgnoresPaddedPositions() {
        float[][] v = Pooling.pool(FloatBuffer.wrap(STATES), 2, 3, 2, new int[] {2, 3}, TextSpec.Pooling.MEAN, false);
        assertArrayEquals(new float[] {2, 3}, v[0], 1e-6f);
        assertArrayEquals(new float[] {1, 2}, v[1], 1e-6f);
    }

    @Test
    void clsTakesTheFirstToken() {
        float[][] v = Pooling.pool(FloatBuffer.wrap(STATES), 2, 3, 2, new int[] {2, 3}, TextSpec.Pooling.CLS, false);
        assertArrayEquals(new float[] {1, 2}, v[0]);
        assertArrayEquals(new float[] {-1, 0}, v[1]);
    }

    @Test
    void noneCopiesOneVectorPerRow() {
        float[][] v = Pooling.pool(FloatBuffer.wrap(new float[] {3, 4, 0, 5}), 2, 1, 2, new int[] {1, 1},
                TextSpec.Pooling.NONE, true);
        assertArrayEquals(new float[] {0.6f, 0.8f}, v[0], 1e-6f);
        assertArrayEquals(new float[] {0, 1}, v[1], 1e-6f);
    }

    @Test
    void normalisedMeanHasUnitLength() {
        float[][] v = Pooling.pool(FloatBuffer.wrap(STATES), 2, 3, 2, new int[] {2, 3}, TextSpec.Pooling.MEAN, true);
        for (float[] r : v) {
            double s = 0;
            for (float x : r) {
                s += x * x;
            }
            assertEquals(1.0, s, 1e-6);
        }
        float k = (float) (1 / Math.sqrt(13));
        assertArrayEquals(new float[] {2 * k, 3 * k}, v[0], 1e-6f);
    }

    @Test
    void zeroVectorStaysZeroAndZeroLengthCountsAsOne() {
        float[] z = {0, 0, 0};
        Pooling.l2Normalize(z);
        assertArrayEquals(new float[] {0, 0, 0}, z);
        float[][] v = Pooling.pool(FloatBuffer.wrap(new float[] {4, 6}), 1, 1, 2, new int[] {0}, TextSpec.Pooling.MEAN, false);
        assertArrayEquals(new float[] {4, 6}, v[0]);
    }

    /** The straightforward definition: mean over the first lengths[b] rows, then L2 normalisation. */
    private static float[] naiveMean(float[] s, int b, int seq, int hidden, int len) {
        float[] v = new float[hidden];
        for (int t = 0; t < len; t++) {
            for (int h = 0; h < hidden; h++) {
                v[h] += s[(b * seq + t) * hidden + h];
            }
        }
        for (int h = 0; h < hidden; h++) {
            v[h] *= 1f / len;
        }
        Pooling.l2Normalize(v);
        return v;
    }

    @Test
    void meanPoolingSkipsPaddingAndMatchesTheDefinitionExactly() {
        Random r = new Random(3);
        int batch = 5;
        int seq = 17;
        int hidden = 384;
        float[] s = new float[batch * seq * hidden];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) r.nextGaussian();
        }
        int[] lengths = {17, 1, 9, 16, 3};
        // Padding positions hold garbage that must not leak into the result.
        float[][] out = Pooling.pool(FloatBuffer.wrap(s).asReadOnlyBuffer(), batch, seq, hidden, lengths,
                TextSpec.Pooling.MEAN, true);
        for (int b = 0; b < batch; b++) {
            assertArrayEquals(naiveMean(s, b, seq, hidden, lengths[b]), out[b], 0f, "row " + b);
            double norm = 0;
            for (float x : out[b]) {
                norm += x * x;
            }
            assertEquals(1.0, norm, 1e-5);
        }
    }
}
