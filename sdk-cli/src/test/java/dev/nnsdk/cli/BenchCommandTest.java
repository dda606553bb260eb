package dev.nnsdk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void printsOneJsonObjectWithTheFigures(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("t.txt");
        Files.write(in, Arrays.asList("A cat sat on the mat.", "Stocks fell sharply today.", "Hello", "Good film"),
                StandardCharsets.UTF_8);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, "UTF-8"));
            code = Cli.run("bench", "--input", in.toString(), "--batch-size", "2", "--warmup", "1", "--compare", "raw");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        JsonNode j = new ObjectMapper().readTree(buf.toString("UTF-8"));
        assertEquals("all-minilm-l6-v2", j.get("model").asText());
        assertEquals(4, j.get("texts").asInt());
        assertTrue(j.get("realTokens").asLong() >= 4 * 3);
        assertTrue(j.get("throughput").get("textsPerSec").asDouble() > 0);
        assertTrue(j.get("latencyPerBatch").get("2").get("p99Ms").asDouble() > 0);
        assertTrue(j.get("flops").get("effectiveGflops").asDouble() > 0);
        assertTrue(j.get("machine").get("fp32PeakGflops").asDouble() != 0);
        assertTrue(j.get("peakRssMiB").asDouble() != 0);
        // Same model, same tokens, same padding rule: the raw ONNX Runtime vectors agree.
        assertTrue(j.get("comparison").get("agreement").get("sdk-onnx~raw-ort").get("minCosine").asDouble() > 0.99999);
    }

    @Test
    void rejectsBadOptions(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("t.txt");
        Files.write(in, Arrays.asList("x"), StandardCharsets.UTF_8);
        assertEquals(1, Cli.run("bench", "--input", in.toString(), "--limit", "0"));
        assertEquals(1, Cli.run("bench", "--input", in.toString(), "--compare", "nonsense"));
        assertEquals(2, Cli.run("bench"));
    }
}
