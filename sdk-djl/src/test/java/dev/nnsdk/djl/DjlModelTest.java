package dev.nnsdk.djl;

import dev.nnsdk.EngineException;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.SdkException;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.LoadOptions;
import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.engine.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The djl engine on the real MobileNetV2 TorchScript file from the shared assets. */
class DjlModelTest {

    private static final String MOBILENET = "models/mobilenet-v2-nsfw/model.torchscript.pt";
    private static final LoadOptions OPTIONS = new LoadOptions(null, 0, false,
            Collections.singletonList("input"), Arrays.asList("features", "probs"));

    private static Path file;
    private static EngineModel model;

    @BeforeAll
    static void load() {
        file = TestAssets.require(MOBILENET);
        model = new DjlEngine().load(file, ModelFormat.TORCHSCRIPT, OPTIONS);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static Tensor image(int batch, long seed) {
        FloatBuffer buf = Tensor.allocateFloats(batch * 224 * 224 * 3);
        Random r = new Random(seed);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, r.nextFloat());
        }
        return Tensor.ofFloats("input", buf, batch, 224, 224, 3);
    }

    @Test
    void engineDescribesItself() {
        DjlEngine e = new DjlEngine();
        assertEquals("djl", e.name());
        assertTrue(e.supports(ModelFormat.TORCHSCRIPT));
        assertFalse(e.supports(ModelFormat.ONNX));
        assertEquals("djl", model.engineName());
        assertEquals("input", model.inputs().get(0).name());
        assertEquals("features", model.outputs().get(0).name());
        assertEquals("probs", model.outputs().get(1).name());
    }

    @Test
    void runsABatchOfTwoWithNamedOutputsAndSoftmaxRows() {
        List<Tensor> out = model.run(Collections.singletonList(image(2, 1)));
        assertEquals(2, out.size());
        Tensor features = out.get(0);
        Tensor probs = out.get(1);
        assertEquals("features", features.name());
        assertEquals("probs", probs.name());
        assertArrayEquals(new long[] {2, 1280}, features.shape());
        assertArrayEquals(new long[] {2, 5}, probs.shape());
        float[] p = probs.toFloatArray();
        for (int row = 0; row < 2; row++) {
            double sum = 0;
            for (int c = 0; c < 5; c++) {
                float v = p[row * 5 + c];
                assertTrue(v >= 0 && v <= 1, "probability " + v);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5, "row " + row + " of probs sums to " + sum);
        }
        for (float f : features.toFloatArray()) {
            assertTrue(f >= 0, "features are averaged ReLU6 outputs, got " + f);
        }
    }

    @Test
    void unnamedInputIsPositionalAndBatchRowsAreIndependent() {
        Tensor a = image(1, 7);
        float[] alone = model.run(Collections.singletonList(Tensor.ofFloats(null, a.toFloatArray(), 1, 224, 224, 3)))
                .get(1).toFloatArray();
        float[] two = new float[2 * 224 * 224 * 3];
        float[] av = a.toFloatArray();
        System.arraycopy(av, 0, two, 0, av.length);
        System.arraycopy(image(1, 8).toFloatArray(), 0, two, av.length, av.length);
        float[] batched = model.run(Collections.singletonList(Tensor.ofFloats("input", two, 2, 224, 224, 3)))
                .get(1).toFloatArray();
        for (int c = 0; c < 5; c++) {
            assertEquals(alone[c], batched[c], 1e-5);
        }
    }

    @Test
    void wrongShapeIsAnInvalidInputNamingTheShape() {
        Tensor bad = Tensor.ofFloats("input", new float[224 * 224 * 4], 1, 224, 224, 4);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> model.run(Collections.singletonList(bad)));
        assertTrue(e.getMessage().contains("[1, 224, 224, 4]"), e.getMessage());
        // The model still works afterwards.
        assertEquals(2, model.run(Collections.singletonList(image(1, 3))).size());
    }

    @Test
    void wrongTypeUnknownNameAndInputCountAreInvalidInputs() {
        Tensor ints = Tensor.ofLongs("input", new long[224 * 224 * 3], 1, 224, 224, 3);
        InvalidInputException type = assertThrows(InvalidInputException.class,
                () -> model.run(Collections.singletonList(ints)));
        assertTrue(type.getMessage().contains("INT64[1, 224, 224, 3]"), type.getMessage());
        InvalidInputException name = assertThrows(InvalidInputException.class,
                () -> model.run(Collections.singletonList(image(1, 1).withName("pixels"))));
        assertTrue(name.getMessage().contains("pixels"), name.getMessage());
        assertThrows(InvalidInputException.class, () -> model.run(Arrays.asList(image(1, 1), image(1, 2))));
        assertThrows(InvalidInputException.class, () -> model.run(Collections.<Tensor>emptyList()));
    }

    @Test
    void truncatedFileIsAModelLoadExceptionNamingIt(@TempDir Path dir) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.pt");
        Files.write(truncated, Arrays.copyOf(all, all.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> new DjlEngine().load(truncated, ModelFormat.TORCHSCRIPT, OPTIONS));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }

    @Test
    void randomBytesOnnxFilesAndMissingFilesAreModelLoadExceptions(@TempDir Path dir) throws IOException {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        noise[0] = 'P';
        noise[1] = 'K';
        noise[2] = 3;
        noise[3] = 4;
        Path random = Files.write(dir.resolve("random.pt"), noise);
        assertLoadFails(random);
        Path onnx = TestAssets.require("models/mobilenet-v2-nsfw/model.onnx");
        ModelLoadException e = assertLoadFails(onnx);
        assertTrue(e.getMessage().contains("ONNX"), e.getMessage());
        assertLoadFails(dir.resolve("absent.pt"));
        assertLoadFails(Files.write(dir.resolve("empty.pt"), new byte[0]));
    }

    @Test
    void corruptEntriesInsideAValidZipAreALoadErrorNotACrash(@TempDir Path dir) throws IOException {
        // Keep the zip directory intact but overwrite the middle of the archive (pickles, code, weights).
        byte[] all = Files.readAllBytes(file);
        for (int i = 64; i < all.length - 65536; i += 997) {
            all[i] = (byte) (all[i] ^ 0x5A);
        }
        Path corrupt = Files.write(dir.resolve("corrupt.pt"), all);
        SdkException e = assertThrows(SdkException.class, () -> {
            try (EngineModel m = new DjlEngine().load(corrupt, ModelFormat.TORCHSCRIPT, OPTIONS)) {
                m.run(Collections.singletonList(image(1, 1)));
            }
        });
        assertTrue(e instanceof ModelLoadException || e instanceof InvalidInputException, e.toString());
    }

    private static ModelLoadException assertLoadFails(Path p) {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> new DjlEngine().load(p, ModelFormat.TORCHSCRIPT, OPTIONS));
        assertTrue(e.getMessage().contains(p.toAbsolutePath().toString()), e.getMessage());
        return e;
    }

    @Test
    void missingGpuIsAClearErrorOrAFallbackWhenAskedFor() {
        LoadOptions gpu = new LoadOptions(dev.nnsdk.Device.gpu(7), 0, false, OPTIONS.inputNames(), OPTIONS.outputNames());
        EngineException e = assertThrows(EngineException.class,
                () -> new DjlEngine().load(file, ModelFormat.TORCHSCRIPT, gpu));
        assertTrue(e.getMessage().contains("gpu:7"), e.getMessage());
        LoadOptions fallback = new LoadOptions(dev.nnsdk.Device.gpu(7), 0, true, OPTIONS.inputNames(),
                OPTIONS.outputNames());
        try (EngineModel m = new DjlEngine().load(file, ModelFormat.TORCHSCRIPT, fallback)) {
            assertArrayEquals(new long[] {1, 5}, m.run(Collections.singletonList(image(1, 2))).get(1).shape());
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsIllegalState() {
        EngineModel m = new DjlEngine().load(file, ModelFormat.TORCHSCRIPT, OPTIONS);
        m.run(Collections.singletonList(image(1, 5)));
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.run(Collections.singletonList(image(1, 5))));
    }

    /**
     * After djl calls, the native heap is trimmed within a few seconds (default every 2 s): glibc's freed memory
     * goes back to the OS, which keeps resident memory flat under load (docs/reliability.md, "Soak").
     */
    @Test
    void nativeHeapIsTrimmedAfterCalls() throws InterruptedException {
        assertEquals(NativeHeapTrimmer.DEFAULT_SECONDS, NativeHeapTrimmer.seconds(), 0.0);
        long before = NativeHeapTrimmer.trims();
        model.run(Collections.singletonList(image(1, 5)));
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (NativeHeapTrimmer.trims() == before && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(NativeHeapTrimmer.trims() > before, "no System.trim_native_heap within 15 s after a call");
    }
}
