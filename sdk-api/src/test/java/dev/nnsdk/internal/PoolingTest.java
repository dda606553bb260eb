package dev.nnsdk.internal;

import dev.nnsdk.repository.TextSpec;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

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
}
