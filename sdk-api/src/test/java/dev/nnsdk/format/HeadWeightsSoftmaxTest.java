package dev.nnsdk.format;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeadSoftmaxTest {

    @Test
    void softmaxIsStableAndSumsToOne() {
        float[] p = HeadWeights.softmax(new float[] {1000f, 1001f, 999f});
        double sum = 0;
        for (float v : p) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(0.66524096, p[1], 1e-6);
        assertEquals(0.24472847, p[0], 1e-6);
    }
}
