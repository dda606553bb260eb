package dev.nnsdk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelOptionsTest {

    @Test
    void defaults() {
        ModelOptions o = ModelOptions.defaults();
        assertNull(o.engine());
        assertEquals(Device.cpu(), o.device());
        assertEquals(0, o.threads());
        assertEquals(32, o.batchSize());
        assertFalse(o.gpuFallback());
    }

    @Test
    void engineNamesAreNormalisedAndAutoMeansNull() {
        assertEquals("onnx", ModelOptions.builder().optEngine(" ONNX ").build().engine());
        assertNull(ModelOptions.builder().optEngine("auto").build().engine());
        assertNull(ModelOptions.builder().optEngine("AUTO").build().engine());
        assertNull(ModelOptions.builder().optEngine("  ").build().engine());
        assertNull(ModelOptions.builder().optEngine(null).build().engine());
        assertEquals(Device.cpu(), ModelOptions.builder().optDevice(null).build().device());
    }

    @Test
    void rejectsInvalidNumbersNamingTheOption() {
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> ModelOptions.builder().optThreads(-1));
        assertTrue(t.getMessage().contains("threads"), t.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> ModelOptions.builder().optBatchSize(0));
        assertTrue(b.getMessage().contains("batch size"), b.getMessage());
        assertEquals(1, ModelOptions.builder().optBatchSize(1).build().batchSize());
        assertEquals(0, ModelOptions.builder().optThreads(0).build().threads());
    }

    @Test
    void toBuilderCopiesEveryOption() {
        ModelOptions o = ModelOptions.builder().optEngine("djl").optDevice(Device.gpu(1)).optThreads(3)
                .optBatchSize(7).optGpuFallback(true).build();
        ModelOptions c = o.toBuilder().build();
        assertEquals("djl", c.engine());
        assertEquals(Device.gpu(1), c.device());
        assertEquals(3, c.threads());
        assertEquals(7, c.batchSize());
        assertTrue(c.gpuFallback());
        assertEquals(o.toString(), c.toString());
        // the copy is independent of the original
        assertEquals(32, o.toBuilder().optBatchSize(32).build().batchSize());
        assertEquals(7, o.batchSize());
    }
}
