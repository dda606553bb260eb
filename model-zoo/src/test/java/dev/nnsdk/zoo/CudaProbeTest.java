package dev.nnsdk.zoo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 15 item 4: a CPU-only run never logs DJL's CUDA probe ("Failed to detect GPU count: CUDA driver version is
 * insufficient ..." on a machine with a CUDA runtime but no driver, as this one). The probe is what DJL runs whenever
 * it picks a native library (HF tokenizers, libtorch).
 */
class CudaProbeTest {

    @Test
    void theProbeIsQuietOnceTheZooIsUsed() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int gpus;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            new ZooResolver();
            gpus = ai.djl.util.cuda.CudaUtils.getGpuCount();
            ai.djl.util.Platform.detectPlatform("tokenizers");
        } finally {
            System.setErr(old);
        }
        String out = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, gpus, "this check is for CPU-only machines");
        assertFalse(out.contains("GPU count") || out.contains("CudaUtils") || out.contains("cuda"), out);
    }
}
