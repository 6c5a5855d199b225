package dev.weft.task;

import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.util.Objects;
import java.util.concurrent.Callable;

/** Static helpers for running work later on a {@link ReactorTime} (Twisted's {@code task.deferLater}). */
public final class Task {

    private Task() {
    }

    /**
     * A Deferred that fires with {@code null} after {@code delay} seconds on {@code clock}.
     *
     * <p>The Deferred fires on the reactor thread (for a {@link Clock}, the thread that advances it). Cancelling it
     * before then cancels the timer, and it fails with {@link CancelledException}.
     *
     * @param clock the clock (a reactor, or a {@link Clock} in tests)
     * @param delay seconds to wait: finite and not negative
     * @return a cancellable Deferred
     * @throws IllegalArgumentException if {@code delay} is negative, NaN or infinite
     * @throws NullPointerException     if {@code clock} is null
     */
    public static Deferred<Void> deferLater(ReactorTime clock, double delay) {
        return deferLater(clock, delay, () -> null);
    }

    /**
     * Runs {@code f} after {@code delay} seconds on {@code clock}; the Deferred then fires with {@code null}, or
     * fails with what {@code f} threw.
     *
     * <p>{@code f} runs, and the Deferred fires, on the reactor thread (for a {@link Clock}, the thread that
     * advances it). Cancelling the Deferred before {@code f} runs cancels the timer ({@code f} never runs), and the
     * Deferred fails with {@link CancelledException}.
     *
     * @param clock the clock (a reactor, or a {@link Clock} in tests)
     * @param delay seconds to wait: finite and not negative
     * @param f     what to run
     * @return a cancellable Deferred
     * @throws IllegalArgumentException if {@code delay} is negative, NaN or infinite
     * @throws NullPointerException     if {@code clock} or {@code f} is null
     */
    public static Deferred<Void> deferLater(ReactorTime clock, double delay, Runnable f) {
        Objects.requireNonNull(f, "f must not be null");
        return deferLater(clock, delay, () -> {
            f.run();
            return null;
        });
    }

    /**
     * Calls {@code f} after {@code delay} seconds on {@code clock}; the Deferred then fires with what it returned,
     * or fails with what it threw.
     *
     * <p>{@code f} runs, and the Deferred fires, on the reactor thread (for a {@link Clock}, the thread that
     * advances it). Cancelling the Deferred before {@code f} runs cancels the timer ({@code f} never runs), and the
     * Deferred fails with {@link CancelledException}.
     *
     * @param clock the clock (a reactor, or a {@link Clock} in tests)
     * @param delay seconds to wait: finite and not negative
     * @param f     what to call
     * @param <T>   the result type
     * @return a cancellable Deferred of the result of {@code f}
     * @throws IllegalArgumentException if {@code delay} is negative, NaN or infinite
     * @throws NullPointerException     if {@code clock} or {@code f} is null
     */
    public static <T> Deferred<T> deferLater(ReactorTime clock, double delay, Callable<? extends T> f) {
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(f, "f must not be null");
        if (!(delay >= 0) || Double.isInfinite(delay)) {
            throw new IllegalArgumentException("delay must be finite and not negative, got " + delay);
        }
        LaterCall<T> later = new LaterCall<>(f);
        later.call = clock.callLater(delay, later);
        return later.deferred;
    }

    /** The timer of one {@code deferLater}: runs the function, and is the canceller of its Deferred. */
    private static final class LaterCall<T> implements Runnable, Deferred.Canceller<T> {
        private final Callable<? extends T> f;
        final Deferred<T> deferred;
        DelayedCall call;

        LaterCall(Callable<? extends T> f) {
            this.f = f;
            this.deferred = new Deferred<>(this);
        }

        @Override
        public void run() {
            T result;
            try {
                result = f.call();
            } catch (Throwable t) {
                if (!deferred.isCalled()) {
                    deferred.errback(t);
                }
                return;
            }
            if (!deferred.isCalled()) {
                deferred.callback(result);
            }
        }

        @Override
        public void cancel(Deferred<T> d) {
            if (call != null && call.active()) {
                call.cancel();
            }
        }
    }
}
