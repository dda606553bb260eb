package dev.nnsdk.djl;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CallThreads}: however many threads call, the work runs on at most {@code size()} engine threads (the
 * bound the djl engine's resident memory rests on, docs/reliability.md "Soak"); an interrupt never abandons a call;
 * errors reach the caller unchanged.
 */
class CallThreadsTest {

    @Test
    void thirtyTwoCallersShareTheFewCallThreads() throws Exception {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        Thread[] callers = new Thread[32];
        AtomicReference<Throwable> error = new AtomicReference<Throwable>();
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        String name = CallThreads.call(() -> Thread.currentThread().getName());
                        ran.add(name);
                    }
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            callers[t].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(null, error.get());
        assertTrue(CallThreads.size() >= 1);
        assertTrue(ran.size() <= CallThreads.size(), ran + " for " + CallThreads.size() + " call threads");
        for (String n : ran) {
            assertTrue(n.startsWith("nnsdk-djl-call-"), n);
        }
    }

    @Test
    void anInterruptWhileWaitingLetsTheCallFinishAndKeepsTheFlag() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<String>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            result.set(CallThreads.call(() -> {
                started.countDown();
                release.await(10, TimeUnit.SECONDS);
                return "done";
            }));
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        Thread.sleep(50);
        assertTrue(caller.isAlive(), "the caller waits for its call");
        release.countDown();
        caller.join(10_000);
        assertEquals("done", result.get());
        assertTrue(flagKept.get(), "interrupt flag kept");
    }

    @Test
    void aCallsExceptionReachesTheCallerUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException got = assertThrows(IllegalStateException.class, () -> CallThreads.call(() -> {
            throw boom;
        }));
        assertSame(boom, got);
        assertEquals("inner", CallThreads.call(() -> CallThreads.call(() -> "inner")), "a nested call runs directly");
    }
}
