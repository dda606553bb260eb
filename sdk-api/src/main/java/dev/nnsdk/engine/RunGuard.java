package dev.nnsdk.engine;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lifecycle guard for native-backed objects: many concurrent users ({@link #enter}/{@link #exit}),
 * one idempotent close that waits for them. Use after close is an {@link IllegalStateException}.
 *
 * <pre>{@code
 * guard.enter();
 * try { ... } finally { guard.exit(); }
 * }</pre>
 */
public final class RunGuard {
    private final String what;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    public RunGuard(String what) {
        this.what = what;
    }

    /** Registers a user; throws when already closed. */
    public void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException(what + " is closed");
        }
    }

    public void exit() {
        lock.readLock().unlock();
    }

    /**
     * Marks closed after in-flight users finish. Returns true for the first call only, so the
     * caller releases native resources exactly once.
     */
    public boolean close() {
        if (closed) {
            return false;
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
