package dev.nnsdk.engine;

import dev.nnsdk.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ReadOnlyBufferException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    @Test
    void shapeMustMatchTheNumberOfValues() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tensor.ofFloats("x", new float[5], 2, 3));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("6 elements") && e.getMessage().contains("5 values"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Tensor.ofLongs("ids", new long[4], 1, 5));
        assertThrows(InvalidInputException.class, () -> Tensor.ofInts("i", new int[3], 2, 2));
        assertThrows(InvalidInputException.class, () -> Tensor.ofBytes("b", new byte[3], 4));
    }

    @Test
    void negativeAndHugeShapesAreRefused() {
        InvalidInputException neg = assertThrows(InvalidInputException.class, () -> Tensor.elementCount(new long[] {2, -1}));
        assertTrue(neg.getMessage().contains("negative"), neg.getMessage());
        InvalidInputException big = assertThrows(InvalidInputException.class,
                () -> Tensor.elementCount(new long[] {1L << 20, 1L << 20}));
        assertTrue(big.getMessage().contains("too large"), big.getMessage());
        assertEquals(1, Tensor.elementCount(new long[0]));
        assertEquals(0, Tensor.elementCount(new long[] {0, 7}));
    }

    @Test
    void accessorsAndDims() {
        Tensor t = Tensor.ofFloats("h", new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        assertEquals(3, t.rank());
        assertEquals(6, t.size());
        assertEquals(3, t.dim(-1));
        assertEquals(2, t.dim(1));
        assertEquals(1, t.dim(0));
        assertEquals(DataType.FLOAT32, t.dataType());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
        long[] shape = t.shape();
        shape[0] = 99;
        assertEquals(1, t.dim(0), "shape() is a copy");
        assertEquals("y", t.withName("y").name());
        assertArrayEquals(t.toFloatArray(), t.withName("y").toFloatArray());
    }

    @Test
    void wrongTypeAccessFailsAndViewsAreReadOnly() {
        Tensor t = Tensor.ofLongs("ids", new long[] {1, 2}, 1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, t::floatBuffer);
        assertTrue(e.getMessage().contains("ids") && e.getMessage().contains("INT64"), e.getMessage());
        LongBuffer view = t.longBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, 5L));
        assertArrayEquals(new long[] {1, 2}, t.toLongArray());
    }

    @Test
    void bufferTensorsTakeFromPositionToLimit() {
        FloatBuffer fb = Tensor.allocateFloats(6);
        for (int i = 0; i < 6; i++) {
            fb.put(i, i);
        }
        ((java.nio.Buffer) fb).position(2);
        ((java.nio.Buffer) fb).limit(6);
        Tensor t = Tensor.ofFloats("f", fb, 2, 2);
        assertArrayEquals(new float[] {2, 3, 4, 5}, t.toFloatArray());
        assertTrue(t.floatBuffer().isDirect());
        LongBuffer lb = Tensor.allocateLongs(3);
        assertThrows(InvalidInputException.class, () -> Tensor.ofLongs("l", lb, 2, 2));
    }
}
