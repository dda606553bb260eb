package dev.nnsdk.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunGuardTest {

    @Test
    void closeIsIdempotentAndUseAfterCloseFailsNamingTheObject() {
        RunGuard g = new RunGuard("Thing(x)");
        g.enter();
        g.exit();
        assertFalse(g.isClosed());
        assertTrue(g.close());
        assertTrue(g.isClosed());
        assertFalse(g.close());
        IllegalStateException e = assertThrows(IllegalStateException.class, g::enter);
        assertEquals("Thing(x) is closed", e.getMessage());
    }

    @Test
    void manyUsersAtOnce() throws Exception {
        RunGuard g = new RunGuard("g");
        int n = 4;
        CountDownLatch allIn = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            Future<?>[] f = new Future<?>[n];
            for (int i = 0; i < n; i++) {
                f[i] = pool.submit(() -> {
                    g.enter();
                    try {
                        allIn.countDown();
                        release.await();
                    } finally {
                        g.exit();
                    }
                    return null;
                });
            }
            assertTrue(allIn.await(10, TimeUnit.SECONDS), "all users should be inside at the same time");
            release.countDown();
            for (Future<?> x : f) {
                x.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWaitsForInFlightUsers() throws Exception {
        RunGuard g = new RunGuard("g");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean userDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> user = pool.submit(() -> {
                g.enter();
                try {
                    inside.countDown();
                    finish.await();
                    userDone.set(true);
                } finally {
                    g.exit();
                }
                return null;
            });
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            Future<Boolean> closer = pool.submit(() -> {
                boolean first = g.close();
                // close returns only after the user left
                return first && userDone.get();
            });
            Thread.sleep(200);
            assertFalse(closer.isDone(), "close must wait while a user is inside");
            finish.countDown();
            assertTrue(closer.get(10, TimeUnit.SECONDS));
            user.get(10, TimeUnit.SECONDS);
            assertTrue(g.isClosed());
            assertThrows(IllegalStateException.class, g::enter);
        } finally {
            pool.shutdownNow();
        }
    }
}
