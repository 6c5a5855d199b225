package dev.weft.reactor;

import dev.weft.defer.Deferred;
import java.util.concurrent.Callable;

/**
 * Threads: the thread-safe way into the reactor, and a pool of worker threads for blocking work.
 */
public interface ReactorThreads {

    /**
     * Runs {@code f} on the reactor thread, in the next pass of the loop.
     *
     * <p>Thread-safe: may be called from any thread, including the reactor thread (the loop is woken either way).
     * Calls run exactly once each, in the order each calling thread made them. Calls made before the reactor runs
     * wait for it.
     *
     * @param f what to run
     * @throws NullPointerException if {@code f} is null
     */
    void callFromThread(Runnable f);

    /**
     * Runs {@code f} in the reactor's thread pool. The pool is created lazily, started when the reactor runs and
     * stopped (joined) during shutdown; calls made before the reactor runs wait for it.
     *
     * <p>Call on the reactor thread.
     *
     * @param f what to run; an exception it throws is logged
     * @throws NullPointerException if {@code f} is null
     */
    void callInThread(Runnable f);

    /**
     * Runs {@code f} in the thread pool and delivers its result (or exception) through a Deferred that fires on the
     * reactor thread.
     *
     * <p>Call on the reactor thread.
     *
     * @param f   the blocking work
     * @param <T> the result type
     * @return a Deferred that fires, on the reactor thread, with what {@code f} returned or threw
     * @throws NullPointerException if {@code f} is null
     */
    <T> Deferred<T> deferToThread(Callable<T> f);

    /**
     * From a thread that is not the reactor thread: runs {@code f} on the reactor thread, waits for the Deferred it
     * returns to fire, and returns its result or throws its failure.
     *
     * @param f   the work to run on the reactor thread; it may return {@code null} for a null result
     * @param <T> the result type
     * @return the result of the Deferred
     * @throws Exception                  the failure of the Deferred (or of {@code f}), as it is
     * @throws IllegalStateException      if called on the reactor thread (it would deadlock)
     * @throws ReactorNotRunningException if the reactor stops before the result is delivered
     * @throws NullPointerException       if {@code f} is null
     */
    <T> T blockingCallFromThread(Callable<Deferred<T>> f) throws Exception;

    /**
     * Sets the maximum number of threads of the thread pool (default 10, or {@code weft.threadpool.size}).
     *
     * @param size the maximum, at least 1
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    void suggestThreadPoolSize(int size);
}
