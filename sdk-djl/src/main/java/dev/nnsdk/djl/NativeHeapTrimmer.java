package dev.nnsdk.djl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives the memory that glibc's {@code malloc} keeps after libtorch frees it back to the operating system,
 * every few seconds while djl models are being called, so resident memory stays flat under load.
 *
 * <p>Why: libtorch allocates every intermediate tensor of a call with {@code malloc} and frees it when the
 * call ends. With many threads (each gets one of glibc's per-thread arenas) and inputs of many sizes, the
 * freed memory stays in the arenas: it is reused, but it is not returned, and it grows by fragmentation.
 * The mixed soak measured +14% to +22% VmRSS after the warm-up on the djl engine; periodic trimming took it
 * to about +5% and below (docs/reliability.md, "Soak"). The live memory (NMT, and RSS right after a trim) was
 * flat, so this is the allocator's retention, not a leak.
 *
 * <p>How: one daemon thread ({@code nnsdk-djl-heap-trim}), started with the first djl model, wakes every
 * {@code nnsdk.djl.trimSeconds} seconds (default 2; 0 turns it off) and, if a djl model ran since the last
 * trim or a training run is open ({@link #scopeOpened()}: the measured peak of a 480-review MiniLM backbone run
 * went from 3.03 GB to 2.11 GB RSS), runs the JVM's diagnostic command {@code System.trim_native_heap} (glibc {@code malloc_trim(0)};
 * OpenJDK 17.0.9 and later). When the JVM trims by itself ({@code -XX:TrimNativeHeapInterval}) or the command
 * is missing (older JDK, not glibc), the thread stops and logs why at debug level.
 */
final class NativeHeapTrimmer {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeapTrimmer.class);

    /** System property: seconds between trims while djl models run (default 2; 0 or less: never). */
    static final String PROPERTY = "nnsdk.djl.trimSeconds";
    static final double DEFAULT_SECONDS = 2;

    private static final AtomicLong CALLS = new AtomicLong();
    private static final AtomicLong TRIMS = new AtomicLong();
    private static final java.util.concurrent.atomic.AtomicInteger OPEN_SCOPES = new java.util.concurrent.atomic.AtomicInteger();
    private static boolean started;

    private NativeHeapTrimmer() {
    }

    /** Starts the trimming thread once per process, unless turned off. */
    static synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        double seconds = seconds();
        if (seconds <= 0) {
            return;
        }
        long millis = Math.max(100L, (long) (seconds * 1000));
        Thread thread = new Thread(() -> loop(millis), "nnsdk-djl-heap-trim");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after every djl model call: there may be memory to trim. */
    static void called() {
        CALLS.incrementAndGet();
    }

    /**
     * A training run started: until {@link #scopeClosed()}, trim at every tick whether or not a model call
     * was counted (a training step frees hundreds of MB of activations and gradients).
     */
    static void scopeOpened() {
        start();
        OPEN_SCOPES.incrementAndGet();
    }

    /** A training run ended. */
    static void scopeClosed() {
        OPEN_SCOPES.decrementAndGet();
        CALLS.incrementAndGet();
    }

    /** How many trims ran (for tests and diagnostics). */
    static long trims() {
        return TRIMS.get();
    }

    static double seconds() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.trim().isEmpty()) {
            return DEFAULT_SECONDS;
        }
        try {
            return Double.parseDouble(p.trim());
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring {}={} (not a number of seconds); using {}", PROPERTY, p, DEFAULT_SECONDS);
            return DEFAULT_SECONDS;
        }
    }

    private static void loop(long millis) {
        MBeanServer server;
        ObjectName dcmd;
        try {
            server = ManagementFactory.getPlatformMBeanServer();
            dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
            if (jvmTrimsItself()) {
                LOG.debug("The JVM trims the native heap itself (-XX:TrimNativeHeapInterval); {} not needed", PROPERTY);
                return;
            }
        } catch (Exception | LinkageError e) {
            LOG.debug("No diagnostic commands in this JVM ({}); native heap not trimmed", e.toString());
            return;
        }
        long seen = 0;
        while (true) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            long calls = CALLS.get();
            if (calls == seen && OPEN_SCOPES.get() == 0) {
                continue;
            }
            seen = calls;
            try {
                long t0 = System.nanoTime();
                Object out = server.invoke(dcmd, "systemTrimNativeHeap", new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
                TRIMS.incrementAndGet();
                if (LOG.isTraceEnabled()) {
                    LOG.trace("{} in {} ms", String.valueOf(out).trim(), (System.nanoTime() - t0) / 1_000_000);
                }
            } catch (Exception | LinkageError e) {
                LOG.debug("System.trim_native_heap is not available in this JVM ({}); native heap not trimmed", e.toString());
                return;
            }
        }
    }

    private static boolean jvmTrimsItself() {
        try {
            Object flag = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "getVMOption",
                    new Object[] {"TrimNativeHeapInterval"}, new String[] {String.class.getName()});
            if (flag instanceof javax.management.openmbean.CompositeData) {
                Object v = ((javax.management.openmbean.CompositeData) flag).get("value");
                return v != null && !"0".equals(v.toString());
            }
        } catch (Exception e) {
            // no such flag: the JVM does not trim by itself
        }
        return false;
    }
}
