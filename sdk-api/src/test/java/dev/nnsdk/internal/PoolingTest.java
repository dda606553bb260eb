package dev.nnsdk.internal;

import dev.nnsdk.repository.TextSpec;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PoolingTest {

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

    @Test
    void clsTakesTheFirstToken() {
        float[] s = {1, 2, 3, 4, 5, 6, 7, 8};
        float[][] out = Pooling.pool(FloatBuffer.wrap(s), 2, 2, 2, new int[] {2, 1}, TextSpec.Pooling.CLS, false);
        assertArrayEquals(new float[] {1, 2}, out[0]);
        assertArrayEquals(new float[] {5, 6}, out[1]);
    }
}
