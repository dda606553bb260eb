package dev.nnsdk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceTest {

    @Test
    void parsesTheFormsTheCliAccepts() {
        assertEquals(Device.cpu(), Device.parse("cpu"));
        assertEquals(Device.cpu(), Device.parse(" CPU "));
        assertEquals(Device.gpu(0), Device.parse("gpu"));
        assertEquals(Device.gpu(0), Device.parse("cuda"));
        assertEquals(Device.gpu(1), Device.parse("gpu:1"));
        assertEquals(Device.gpu(2), Device.parse("CUDA:2"));
    }

    @Test
    void toStringRoundTrips() {
        for (Device d : new Device[] {Device.cpu(), Device.gpu(0), Device.gpu(3)}) {
            assertEquals(d, Device.parse(d.toString()));
        }
        assertEquals("gpu:3", Device.gpu(3).toString());
        assertEquals(-1, Device.cpu().index());
        assertFalse(Device.cpu().isGpu());
        assertTrue(Device.gpu(0).isGpu());
        assertEquals(Device.gpu(1).hashCode(), Device.parse("gpu:1").hashCode());
    }

    @Test
    void rejectsOtherTextNamingTheAcceptedForms() {
        for (String bad : new String[] {null, "", "tpu", "gpu:", "gpu:x", "gpu1", "gpux:1", "cudaa:0", "cpu:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("expected cpu, gpu or gpu:N"), e.getMessage());
        }
    }

    @Test
    void rejectsNegativeGpuIndex() {
        assertThrows(IllegalArgumentException.class, () -> Device.gpu(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu:-1"));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
