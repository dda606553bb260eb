package dev.nnsdk.djl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few engine-owned threads on which every djl model call runs, whatever thread the caller is on.
 *
 * <p>Why: libtorch and the C library keep native state per calling thread: glibc gives threads their own
 * {@code malloc} arenas (up to 8 per core) and caches, and each thread that runs a forward keeps what its largest
 * input needed. With callers on many threads (a service's request threads, 16 workers plus a cancellation pool in
 * the soak) that state, and the memory held after the calls, grew with the number of callers and with which
 * caller happened to get which input: resident memory was bounded only by luck and load (docs/reliability.md,
 * "Soak"). Running the calls on a fixed set of threads bounds it by construction: the number of threads that ever
 * call libtorch, and the number of calls (hence of live activations) at once, no longer depend on the caller.
 *
 * <p>How: a fixed pool of {@code nnsdk.djl.callThreads} daemon threads ({@code nnsdk-djl-call-N}; default: the
 * number of cores, at least 1), started with the first call. The caller waits for its call; an interrupt while it
 * waits does not abandon the call (a native call cannot be stopped half-way, as before): the caller waits for the
 * result and keeps its interrupt flag, so cancellation stays where it was, between batches. An exception of the
 * call is rethrown to the caller as is. A call made on one of these threads runs directly. {@code 0} turns the pool
 * off (calls run on the caller's thread, as before this class).
 */
final class CallThreads {
    private static final Logger LOG = LoggerFactory.getLogger(CallThreads.class);

    /** System property: threads that run djl model calls (default: cores; 0: run on the caller's thread). */
    static final String PROPERTY = "nnsdk.djl.callThreads";

    private static volatile ExecutorService pool;
    private static volatile int size = -1;

    private CallThreads() {
    }

    /** Threads of the pool (0: calls run on the caller's thread). */
    static int size() {
        int s = size;
        if (s < 0) {
            s = configured();
            size = s;
        }
        return s;
    }

    static int configured() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        String p = System.getProperty(PROPERTY);
        if (p == null || p.trim().isEmpty()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n >= 0 && n <= 4 * cores) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        LOG.warn("Ignoring {}={} (must be 0 to {}, 4 x the cores); using {}", PROPERTY, p, 4 * cores, cores);
        return cores;
    }

    /** Runs {@code work} on a call thread and returns its result; see the class comment. */
    static <T> T call(Callable<T> work) {
        if (Thread.currentThread() instanceof CallThread || size() == 0) {
            return direct(work);
        }
        Future<T> f = pool().submit(work);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;     // the native call finishes anyway: wait for it, keep the flag
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException) {
                        throw (RuntimeException) c;
                    }
                    if (c instanceof Error) {
                        throw (Error) c;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T direct(Callable<T> work) {
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (CallThreads.class) {
                p = pool;
                if (p == null) {
                    int n = size();
                    AtomicInteger count = new AtomicInteger();
                    p = new ThreadPoolExecutor(n, n, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<Runnable>(),
                            r -> new CallThread(r, "nnsdk-djl-call-" + count.getAndIncrement()));
                    LOG.debug("djl model calls run on {} engine threads ({})", n, PROPERTY);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** A pool thread: daemon, so it never keeps the JVM alive. */
    private static final class CallThread extends Thread {
        CallThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }
}
