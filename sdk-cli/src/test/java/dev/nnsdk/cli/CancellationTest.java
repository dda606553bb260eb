package dev.nnsdk.cli;

import dev.nnsdk.CancelledException;
import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 11: an interrupt stops a long {@code embedAll} between batches with
 * {@link CancelledException} (it ran all remaining texts, 29 s, on both engines). The djl run needs the
 * TorchScript MiniLM from the shared assets ({@code SDK_ASSETS_DIR}); without them it fails.
 */
class CancellationTest {

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "djl"})
    void anInterruptStopsEmbedAllBetweenBatches(String engine) throws Exception {
        List<String> texts = new ArrayList<String>();
        for (int i = 0; i < 4000; i++) {
            texts.add("Text " + i + " is about something else entirely, in a few more words than the last one.");
        }
        try (TextEmbedder e = TextEmbedder.load("all-minilm-l6-v2",
                ModelOptions.builder().optEngine(engine).optBatchSize(8).build())) {
            // flag already set: the first batch runs, the second is not started
            Thread.currentThread().interrupt();
            CancelledException c = assertThrows(CancelledException.class, () -> e.embedAll(texts));
            assertTrue(Thread.interrupted(), "the interrupt flag is kept");
            assertTrue(c.getMessage().contains("after 8 of 4000 texts"), c.getMessage());
            // a call of one batch is not affected by the check between batches
            Thread.currentThread().interrupt();
            assertEquals(384, e.embed("one text").length);
            Thread.interrupted();
            // an interrupt from another thread, as Future.cancel(true) does
            AtomicReference<Throwable> failure = new AtomicReference<Throwable>();
            Thread t = new Thread(() -> {
                try {
                    e.embedAll(texts);
                } catch (Throwable x) {
                    failure.set(x);
                }
            });
            long t0 = System.nanoTime();
            t.start();
            Thread.sleep(300);
            t.interrupt();
            t.join(30_000);
            assertInstanceOf(CancelledException.class, failure.get());
            assertTrue((System.nanoTime() - t0) / 1e9 < 30, "stopped promptly");
        }
    }
}
