package dev.nnsdk.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThreadPlanTest {

    private static void check(int threads, int cores, int parallelism, int calls, int perCall) {
        ThreadPlan p = ThreadPlan.forBudget(threads, cores, parallelism);
        assertEquals(calls, p.callsAtOnce(), p.toString());
        assertEquals(perCall, p.threadsPerCall(), p.toString());
    }

    @Test
    void upToEightCoresEveryCallIsSingleThreaded() {
        check(0, 1, 0, 1, 1);
        check(0, 2, 0, 2, 1);
        check(0, 8, 0, 8, 1);
        check(1, 2, 0, 1, 1);   // --threads 1 still means one core
        check(3, 16, 0, 3, 1);
    }

    @Test
    void aboveEightCoresAtMostEightCallsShareTheThreads() {
        check(0, 16, 0, 8, 2);
        check(0, 12, 0, 6, 2);
        check(0, 64, 0, 8, 8);
        check(0, 9, 0, 4, 2);
    }

    @Test
    void anExplicitParallelismWins() {
        check(0, 2, 1, 1, 2);   // the old default: one call on every core
        check(1, 2, 2, 2, 1);   // -Dnnsdk.batchParallelism=2 --threads 1 as measured in issue 16
        check(0, 16, 4, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> ThreadPlan.forBudget(-1, 2, 0));
    }
}
