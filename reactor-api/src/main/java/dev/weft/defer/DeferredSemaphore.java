package dev.weft.defer;

import java.util.concurrent.Callable;

/**
 * A semaphore for code that runs on one thread but waits on Deferreds (Twisted's {@code DeferredSemaphore}): it
 * limits how many asynchronous tasks run at once. Waiters get tokens in the order they asked.
 *
 * <p>Threads: not thread-safe; use it on one thread (the reactor thread). An {@link #acquire()} Deferred fires
 * inside {@code acquire()} if a token is free, otherwise inside the {@link #release()} that hands a token over,
 * on that thread.
 */
public final class DeferredSemaphore {
    private static final String OVER_RELEASED = "release() of a DeferredSemaphore with all its tokens free";

    private final TokenPool<DeferredSemaphore> pool;

    /**
     * Creates a semaphore with {@code tokens} tokens, all free.
     *
     * @param tokens how many holders at once: at least 1
     * @throws IllegalArgumentException if {@code tokens} is less than 1
     */
    public DeferredSemaphore(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens must be at least 1: " + tokens);
        }
        this.pool = new TokenPool<>(this, tokens);
    }

    /**
     * Asks for a token. The returned Deferred fires with this semaphore once the caller holds a token: at once if
     * one is free, otherwise when a holder releases one and every earlier waiter has had its turn. Cancelling the
     * Deferred before it fires takes the caller out of the queue (it fails with {@link CancelledException}).
     *
     * @return a Deferred that fires with this semaphore when a token is held
     */
    public Deferred<DeferredSemaphore> acquire() {
        return pool.acquire();
    }

    /**
     * Releases a token. If callers are waiting, the first one gets it: its Deferred fires inside this call, on
     * this thread.
     *
     * @throws IllegalStateException if no token is held
     */
    public void release() {
        pool.release(OVER_RELEASED);
    }

    /**
     * How many tokens are free.
     *
     * @return between 0 and {@link #limit()}
     */
    public int tokens() {
        return pool.available();
    }

    /**
     * How many tokens there are in all.
     *
     * @return the number given to the constructor
     */
    public int limit() {
        return pool.limit();
    }

    /**
     * Runs {@code f} while holding a token: acquires one, calls {@code f} once it is held, and releases it when the
     * Deferred {@code f} returned fires (or at once if {@code f} throws or returns null).
     *
     * @param f   the work: returns a Deferred of its result
     * @param <R> the result type
     * @return a Deferred of the result of {@code f} (or of its failure); cancelling it while waiting for a token
     *         leaves the queue, and while {@code f} runs cancels the Deferred {@code f} returned
     * @throws NullPointerException if {@code f} is null
     */
    public <R> Deferred<R> run(Callable<? extends Deferred<? extends R>> f) {
        return pool.run(f, OVER_RELEASED);
    }

    /**
     * Describes the semaphore, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "DeferredSemaphore{tokens=" + tokens() + "/" + limit() + ", waiting=" + pool.waiting() + "}";
    }
}
