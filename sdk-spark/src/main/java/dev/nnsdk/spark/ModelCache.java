package dev.nnsdk.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of one JVM (a Spark executor, or the driver in local mode): each model is loaded once,
 * lazily, by the first task that needs it, and then shared by every task thread of the JVM (the SDK's
 * predictors are thread-safe). Keyed by {@link ModelKey} (the model's SHA-256 checksums plus the
 * options that change what is loaded), so two stages naming the same files by different paths share
 * one copy. Everything is closed when the JVM stops (a shutdown hook) or by {@link #clear()}.
 *
 * <p>A load that fails is not cached: the next task tries again and reports its own error.
 */
public final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final Map<String, Slot> MODELS = new ConcurrentHashMap<String, Slot>();
    private static final AtomicLong LOADS = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ModelCache::clear, "nnsdk-spark-model-cache-close"));
    }

    private ModelCache() {
    }

    /**
     * The model cached under {@code key}, loaded by {@code loader} when it is not there yet. Concurrent
     * callers with the same key wait for the one load; other keys are not blocked.
     */
    public static <T extends AutoCloseable> T get(String key, Class<T> type, Supplier<? extends T> loader) {
        Slot slot = MODELS.computeIfAbsent(key, k -> new Slot());
        synchronized (slot) {
            if (slot.model == null) {
                long t0 = System.nanoTime();
                AutoCloseable m = loader.get();
                LOADS.incrementAndGet();
                slot.model = m;
                LOG.info("Loaded {} in {} ms (loads in this JVM: {})", key, (System.nanoTime() - t0) / 1_000_000, LOADS.get());
            }
            if (!type.isInstance(slot.model)) {
                throw new IllegalStateException("Cached model " + key + " is a " + slot.model.getClass().getName()
                        + ", not a " + type.getName());
            }
            return type.cast(slot.model);
        }
    }

    /** How many models this JVM has loaded since it started (a load that failed does not count). */
    public static long loads() {
        return LOADS.get();
    }

    /** How many models are loaded now. */
    public static int size() {
        int n = 0;
        for (Slot s : MODELS.values()) {
            synchronized (s) {
                n += s.model == null ? 0 : 1;
            }
        }
        return n;
    }

    /** Closes and forgets every cached model (the shutdown hook; also for notebooks and tests). */
    public static void clear() {
        List<Slot> slots = new ArrayList<Slot>(MODELS.values());
        MODELS.clear();
        for (Slot s : slots) {
            synchronized (s) {
                if (s.model != null) {
                    try {
                        s.model.close();
                    } catch (Exception e) {
                        LOG.warn("Closing a cached model failed: {}", e.toString());
                    }
                    s.model = null;
                }
            }
        }
    }

    private static final class Slot {
        AutoCloseable model;
    }
}
