package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.reactor.ReactorNotRunningException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The {@code blockingCallFromThread} calls waiting for the reactor, so that shutdown can fail them rather than leave
 * their threads waiting forever. Thread-safe.
 */
final class BlockingCalls {
    private final ReactorBase reactor;
    private final Lifecycle lifecycle;
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();

    BlockingCalls(ReactorBase reactor, Lifecycle lifecycle) {
        this.reactor = reactor;
        this.lifecycle = lifecycle;
    }

    /** {@code blockingCallFromThread}, on a thread other than the reactor's (the caller checked). */
    <T> T call(Callable<Deferred<T>> f) throws Exception {
        if (lifecycle.isStopped()) {
            throw new ReactorNotRunningException("blockingCallFromThread: the reactor has stopped");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        waiting.add(result);
        try {
            reactor.callFromThread(() -> {
                Deferred<T> d;
                try {
                    d = f.call();
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                    return;
                }
                if (d == null) {
                    result.complete(null);
                    return;
                }
                d.addBoth((r, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(r);
                    }
                    return null;
                });
            });
            if (lifecycle.isStopped()) {
                failAll();
            }
            try {
                return result.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw (Exception) cause;
            }
        } finally {
            waiting.remove(result);
        }
    }

    /** Shutdown: every waiting call fails with {@link ReactorNotRunningException}. */
    void failAll() {
        for (CompletableFuture<?> c : waiting) {
            c.completeExceptionally(new ReactorNotRunningException(
                    "blockingCallFromThread: the reactor shut down before the result was delivered"));
        }
    }
}
