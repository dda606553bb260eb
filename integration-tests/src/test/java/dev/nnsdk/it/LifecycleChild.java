package dev.nnsdk.it;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.inference.TextEmbedder;

import java.util.concurrent.CountDownLatch;

/**
 * Child JVM of {@link LifecycleTest}: four non-daemon threads embed in a loop, then the main thread
 * calls {@code System.exit(0)}. Mode {@code hook-close} also closes the embedder from a shutdown hook.
 */
public final class LifecycleChild {

    private LifecycleChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("sigterm")) {
            sigtermUnderLoad();
            return;
        }
        boolean hookClose = args.length > 0 && args[0].equals("hook-close");
        TextEmbedder embedder = TextEmbedder.load("all-minilm-l6-v2", ModelOptions.builder().optEngine("onnx").optThreads(1).build());
        if (hookClose) {
            Runtime.getRuntime().addShutdownHook(new Thread(embedder::close, "close-embedder"));
        }
        CountDownLatch started = new CountDownLatch(8);
        for (int t = 0; t < 4; t++) {
            Thread w = new Thread(() -> {
                try {
                    while (true) {
                        embedder.embed("Shutting down while this sentence is being embedded.");
                        started.countDown();
                    }
                } catch (IllegalStateException closed) {
                    // the hook closed the embedder: the loop ends
                }
            });
            w.start();
        }
        started.await();
        System.out.println("exiting with requests in flight");
        System.out.flush();
        System.exit(0);
    }

    /**
     * Mode {@code sigterm}: 16 threads embed batches of long texts (long native calls), then the process sends
     * itself SIGTERM. It must end with exit code 143 (terminated by the signal), not crash in native code.
     */
    private static void sigtermUnderLoad() throws Exception {
        TextEmbedder embedder = TextEmbedder.load("all-minilm-l6-v2", ModelOptions.builder().optEngine("onnx").optThreads(1).build());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append(i % 7 == 0 ? "unbelievably " : "film ");
        }
        java.util.List<String> batch = java.util.Collections.nCopies(8, text.toString());
        CountDownLatch started = new CountDownLatch(16);
        for (int t = 0; t < 16; t++) {
            Thread w = new Thread(() -> {
                try {
                    while (true) {
                        started.countDown();
                        embedder.embedAll(batch);
                    }
                } catch (IllegalStateException closed) {
                    // closed at shutdown: the loop ends
                }
            });
            w.start();
        }
        started.await();
        Thread.sleep(300);
        System.out.println("sending SIGTERM with requests in flight");
        System.out.flush();
        new ProcessBuilder("kill", "-TERM", String.valueOf(ProcessHandle.current().pid())).inheritIO().start().waitFor();
        Thread.sleep(60000);
    }
}
