package dev.weft.defer;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;

/** The bookkeeping shared by {@link DeferredLock} and {@link DeferredSemaphore}: tokens and a FIFO of waiters. */
final class TokenPool<S> {
    private final S owner;
    private final int limit;
    private int available;
    private final ArrayDeque<Deferred<S>> waiting = new ArrayDeque<>();

    TokenPool(S owner, int tokens) {
        this.owner = owner;
        this.limit = tokens;
        this.available = tokens;
    }

    int available() {
        return available;
    }

    int limit() {
        return limit;
    }

    int waiting() {
        return waiting.size();
    }

    Deferred<S> acquire() {
        Deferred<S> d = new Deferred<>(waiting::remove);
        if (available > 0) {
            available--;
            d.callback(owner);
        } else {
            waiting.addLast(d);
        }
        return d;
    }

    void release(String overReleased) {
        if (available >= limit) {
            throw new IllegalStateException(overReleased);
        }
        Deferred<S> next = waiting.pollFirst();
        if (next == null) {
            available++;
        } else {
            next.callback(owner); // the token goes straight to the next waiter
        }
    }

    @SuppressWarnings("unchecked")
    <R> Deferred<R> run(Callable<? extends Deferred<? extends R>> f, String overReleased) {
        if (f == null) {
            throw new NullPointerException("f must not be null");
        }
        return acquire().addCallbackDeferred(token -> {
            Deferred<? extends R> d;
            try {
                d = f.call();
            } catch (Exception | Error e) {
                release(overReleased);
                throw e;
            }
            if (d == null) {
                release(overReleased);
                throw new NullPointerException("f returned null instead of a Deferred");
            }
            return (Deferred<R>) d.addFinally(() -> release(overReleased));
        });
    }
}
