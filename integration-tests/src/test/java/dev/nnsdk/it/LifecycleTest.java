package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.engine.EngineModel;
import dev.nnsdk.engine.Tensor;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.internal.ModelLoader;
import dev.nnsdk.internal.Services;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lifecycle of what holds native resources (the text embedder on ONNX Runtime, the ONNX engine model,
 * the Hugging Face tokenizer): close is idempotent; use after close is a clear IllegalStateException;
 * closing while other threads predict is safe; a JVM exiting with predictions in flight does not hang.
 */
class LifecycleTest {

    static final String MODEL = "all-minilm-l6-v2";
    static final ModelOptions ONNX = ModelOptions.builder().optEngine("onnx").optThreads(1).build();

    private static void assertClosedError(Executable call, String what) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void textEmbedderCloseIsIdempotentAndUseAfterCloseIsClear() {
        TextEmbedder embedder = TextEmbedder.load(MODEL, ONNX);
        assertEquals(384, embedder.embed("hello").length);
        embedder.close();
        embedder.close();
        assertClosedError(() -> embedder.embed("hello"), MODEL);
        assertClosedError(() -> embedder.embedAll(Arrays.asList("a", "b")), MODEL);
        embedder.close();
    }

    @Test
    void engineModelAndTokenizerCloseIsIdempotentAndUseAfterCloseIsClear() {
        ModelDescriptor d = ModelRepository.resolve(MODEL);
        EngineModel model = ModelLoader.load(d, ONNX);
        Tokenizer tok = Services.tokenizerFactory().create(d.text().tokenizer().path(), d.text().maxLength());
        long[] ids = tok.encode("hello world").ids();
        List<Tensor> in = new ArrayList<Tensor>();
        for (String name : Arrays.asList("input_ids", "attention_mask", "token_type_ids")) {
            long[] v = name.equals("input_ids") ? ids : new long[ids.length];
            if (name.equals("attention_mask")) {
                Arrays.fill(v, 1L);
            }
            in.add(Tensor.ofLongs(name, LongBuffer.wrap(v), 1, ids.length));
        }
        assertEquals(384, model.run(in).get(0).dim(-1));

        model.close();
        model.close();
        assertClosedError(() -> model.run(in), "ONNX model");
        tok.close();
        tok.close();
        assertClosedError(() -> tok.encode("hello"), "Tokenizer");
        assertClosedError(() -> tok.tokens("hello"), "Tokenizer");
    }

    /**
     * Four threads embed while the main thread closes the embedder: every call either returns the right
     * vector or throws IllegalStateException; calls after close() returned all throw; nothing else happens.
     */
    @Test
    void closingWhilePredictionsRunIsSafe() throws Exception {
        String[] texts = {"The cat sat on the mat.", "A man is playing a guitar.", "", "Nothing lost."};
        TextEmbedder embedder = TextEmbedder.load(MODEL, ONNX);
        float[][] expected = new float[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            expected[i] = embedder.embed(texts[i]);
        }
        int threads = 4;
        AtomicInteger served = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger servedAfterClose = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicReference<Throwable> unexpected = new AtomicReference<Throwable>();
        CountDownLatch warm = new CountDownLatch(threads * 10);
        List<Thread> workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread w = new Thread(() -> {
                for (int k = 0; ; k++) {
                    int i = (id + k) % texts.length;
                    boolean closedBefore = closed.get();
                    try {
                        float[] v = embedder.embed(texts[i]);
                        assertArrayEquals(expected[i], v, 1e-5f, "text " + i);
                        served.incrementAndGet();
                        if (closedBefore) {
                            servedAfterClose.incrementAndGet();
                        }
                        warm.countDown();
                    } catch (IllegalStateException e) {
                        refused.incrementAndGet();
                        if (refused.get() > 50) {
                            return;
                        }
                    } catch (Throwable e) {
                        unexpected.compareAndSet(null, e);
                        return;
                    }
                }
            }, "embed-" + t);
            w.start();
            workers.add(w);
        }
        assertTrue(warm.await(120, TimeUnit.SECONDS), "workers did not start");
        embedder.close();
        closed.set(true);
        for (Thread w : workers) {
            w.join(60000);
            assertTrue(!w.isAlive(), w.getName() + " is stuck");
        }
        assertNull(unexpected.get(), () -> "unexpected " + unexpected.get());
        assertEquals(0, servedAfterClose.get(), "calls started after close() returned were served");
        assertTrue(refused.get() > 0 && served.get() >= threads * 10, "served " + served + ", refused " + refused);
        System.out.println("LifecycleTest: served " + served + " concurrent requests, refused " + refused + " after close");
    }

    /** A JVM that exits (System.exit, shutdown hook closing the embedder) while 4 threads embed ends promptly. */
    @Test
    void exitWithPredictionsInFlightDoesNotHang() throws Exception {
        for (String mode : Arrays.asList("exit", "hook-close")) {
            Process p = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), LifecycleChild.class.getName(), mode)
                    .redirectErrorStream(true).start();
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (out) {
                            out.append(line).append('\n');
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // process ended
                }
            });
            reader.start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            reader.join(5000);
            synchronized (out) {
                assertTrue(ended, mode + ": the JVM did not exit within 120 s; output:\n" + out);
                assertEquals(0, p.exitValue(), mode + ": exit code; output:\n" + out);
                assertTrue(out.toString().contains("exiting with requests in flight"), mode + ": output:\n" + out);
            }
        }
    }
}
