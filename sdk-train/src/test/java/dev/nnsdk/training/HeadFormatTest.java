package dev.nnsdk.training;

import dev.nnsdk.ModelLoadException;
import dev.nnsdk.format.HeadWeights;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** head.bin round trip and the plain-Java forward pass. */
class HeadFormatTest {
    @Test
    void roundTripsAndComputesMlpForward() throws Exception {
        // 2 -> 2 (ReLU) -> 2
        HeadWeights h = new HeadWeights(new float[][] {{1, 0, 0, -1}, {1, 1, -1, 0}}, new float[][] {{0, 0}, {0, 0.5f}}, new int[] {2, 2});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.write(out);
        HeadWeights r = HeadWeights.read(out.toByteArray(), "mem");
        assertEquals(2, r.layers());
        assertArrayEquals(h.weights(1), r.weights(1));
        // x = (2, 3): hidden = relu(2, -3) = (2, 0); logits = (2, -2 + 0.5)
        assertArrayEquals(new float[] {2f, -1.5f}, r.logits(new float[] {2, 3}), 1e-6f);
        float[] p = r.probabilities(new float[] {2, 3});
        assertEquals(1.0, p[0] + p[1], 1e-6);
        assertEquals((float) (1 / (1 + Math.exp(-3.5))), p[0], 1e-6f);
        byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), 20);
        assertThrows(ModelLoadException.class, () -> HeadWeights.read(cut, "cut"));
    }
}
