package dev.nnsdk.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the CLI does on SIGINT (Ctrl-C) and SIGTERM: the JVM runs its shutdown hooks, and the one
 * hook here first interrupts the thread running the command (the SDK's batch loops check
 * {@link Thread#interrupted()} between batches and throw {@link dev.nnsdk.CancelledException}, so
 * the command unwinds through its {@code finally} blocks: temporary outputs, checkpoints and
 * partly written model directories are deleted), waits for it up to {@link #GRACE_MILLIS}, then
 * runs the cleanup actions registered here (deleting whatever temporary file is still open), so
 * nothing is left behind even when the command does not answer the interrupt in time.
 */
final class Signals {
    /** How long the hook waits for the interrupted command to unwind. */
    static final long GRACE_MILLIS = 5_000;

    private static final List<Runnable> CLEANUPS = new CopyOnWriteArrayList<Runnable>();
    private static volatile Thread command;
    private static volatile java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(0);
    private static volatile boolean hooked;

    private Signals() {
    }

    /** Runs {@code cleanup} when the JVM shuts down (after the command had its chance to unwind). */
    static void onShutdown(Runnable cleanup) {
        CLEANUPS.add(cleanup);
        hook();
    }

    /** Marks the current thread as the one running the command, until {@link #commandEnded()}. */
    static void commandStarted() {
        finished = new java.util.concurrent.CountDownLatch(1);
        command = Thread.currentThread();
        hook();
    }

    /** The command returned or threw (its {@code finally} blocks ran). */
    static void commandEnded() {
        command = null;
        finished.countDown();
    }

    private static synchronized void hook() {
        if (hooked) {
            return;
        }
        hooked = true;
        Runtime.getRuntime().addShutdownHook(new Thread(Signals::shutdown, "sdk-cli-shutdown"));
    }

    private static void shutdown() {
        Thread t = command;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                finished.await(GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Runnable r : CLEANUPS) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // best effort during shutdown
            }
        }
    }
}
