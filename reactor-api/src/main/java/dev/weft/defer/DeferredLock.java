package dev.weft.defer;

import java.util.concurrent.Callable;

/**
 * A lock for code that runs on one thread but waits on Deferreds (Twisted's {@code DeferredLock}): it is not a
 * thread lock; it orders asynchronous tasks. Waiters get the lock in the order they asked for it.
 *
 * <p>Threads: not thread-safe; use it on one thread (the reactor thread). An {@link #acquire()} Deferred fires
 * inside {@code acquire()} if the lock is free, otherwise inside the {@link #release()} that hands the lock over,
 * on that thread.
 */
public final class DeferredLock {
    private final TokenPool<DeferredLock> pool = new TokenPool<>(this, 1);

    /** Creates an unlocked lock. */
    public DeferredLock() {
    }

    /**
     * Asks for the lock. The returned Deferred fires with this lock once the caller holds it: at once if it is
     * free, otherwise when the holder releases it and every earlier waiter has had its turn. Cancelling the
     * Deferred before it fires takes the caller out of the queue (it fails with {@link CancelledException}).
     * Cancelling it after it fired does nothing: the caller holds the lock and must release it.
     *
     * @return a Deferred that fires with this lock when it is held
     */
    public Deferred<DeferredLock> acquire() {
        return pool.acquire();
    }

    /**
     * Releases the lock. If callers are waiting, the first one gets it: its Deferred fires inside this call, on
     * this thread.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        pool.release("release() of a DeferredLock that is not locked");
    }

    /**
     * Whether the lock is held.
     *
     * @return true between an acquire that fired and its release
     */
    public boolean locked() {
        return pool.available() == 0;
    }

    /**
     * Runs {@code f} while holding the lock: acquires it, calls {@code f} once it is held, and releases it when the
     * Deferred {@code f} returned fires (or at once if {@code f} throws or returns null).
     *
     * @param f   the work: returns a Deferred of its result
     * @param <R> the result type
     * @return a Deferred of the result of {@code f} (or of its failure); cancelling it while waiting for the lock
     *         leaves the queue, and while {@code f} runs cancels the Deferred {@code f} returned
     * @throws NullPointerException if {@code f} is null
     */
    public <R> Deferred<R> run(Callable<? extends Deferred<? extends R>> f) {
        return pool.run(f, "release() of a DeferredLock that is not locked");
    }

    /**
     * Describes the lock, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "DeferredLock{locked=" + locked() + ", waiting=" + pool.waiting() + "}";
    }
}
