package dev.weft.task;

import dev.weft.defer.Deferred;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

/**
 * Calls a function again and again, every {@code interval} seconds, on a {@link ReactorTime} (Twisted's
 * {@code task.LoopingCall}).
 *
 * <p>Calls sit on a grid anchored at the time of {@link #start(double, boolean)}: the n-th call is due at
 * {@code start + n * interval}. If a call runs late (the loop was busy, or the function, or the Deferred it
 * returned, took longer than an interval), the grid points missed meanwhile are skipped, not replayed: the next call
 * is at the next grid point after the previous one finished. {@link #withCount(ReactorTime, IntConsumer)} tells the
 * function how many intervals went by. With an interval of 0 the function runs again on every pass of the loop.
 *
 * <p>{@code start} returns a Deferred that fires with this {@code LoopingCall} once {@link #stop()} ends the loop,
 * or fails, ending the loop, with what the function threw (or what the Deferred it returned failed with). The
 * function, and every callback of that Deferred, runs on the reactor thread (for a {@link Clock}, on the thread that
 * calls {@link Clock#advance(double)}), or within {@code start} itself for the first call when {@code now} is true.
 *
 * <p>Not thread-safe: use it on the reactor thread.
 */
public final class LoopingCall {

    /** What runs on each call: returns a Deferred to wait for, or null when done already. */
    @FunctionalInterface
    private interface Body {
        Deferred<?> call(Run run) throws Exception;
    }

    private final ReactorTime clock;
    private final Body body;
    private Run run;
    private double interval = Double.NaN;

    /**
     * Creates a loop, not started, that runs {@code f} on each call.
     *
     * @param clock the clock that schedules the calls (a reactor, or a {@link Clock} in tests)
     * @param f     the function; an exception it throws fails the Deferred of {@link #start} and ends the loop
     * @throws NullPointerException if an argument is null
     */
    public LoopingCall(ReactorTime clock, Runnable f) {
        this(Objects.requireNonNull(clock, "clock must not be null"), body(f));
    }

    private LoopingCall(ReactorTime clock, Body body) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.body = body;
    }

    private static Body body(Runnable f) {
        Objects.requireNonNull(f, "f must not be null");
        return run -> {
            f.run();
            return null;
        };
    }

    /**
     * Creates a loop, not started, whose function returns a Deferred: the next call is scheduled only once that
     * Deferred has fired (on the next grid point after it fired, skipping the ones missed meanwhile). If it fails,
     * or {@code f} throws or returns null, the Deferred of {@link #start} fails with that and the loop ends.
     *
     * @param clock the clock that schedules the calls
     * @param f     the function
     * @return the loop
     * @throws NullPointerException if an argument is null
     */
    public static LoopingCall ofDeferred(ReactorTime clock, Callable<? extends Deferred<?>> f) {
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(f, "f must not be null");
        return new LoopingCall(clock, run -> {
            Deferred<?> d = f.call();
            if (d == null) {
                throw new NullPointerException("the function of the LoopingCall returned null instead of a Deferred");
            }
            return d;
        });
    }

    /**
     * Creates a loop, not started, that passes {@code f} how many intervals went by since its previous call (or
     * since the start): 1 when it runs on time, more when grid points were missed because the loop was busy. The
     * first call gets 1, with {@code now} true or false. With an interval of 0, every call gets 1.
     *
     * @param clock the clock that schedules the calls
     * @param f     the function, given the number of intervals, at least 1
     * @return the loop
     * @throws NullPointerException if an argument is null
     */
    public static LoopingCall withCount(ReactorTime clock, IntConsumer f) {
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(f, "f must not be null");
        return new LoopingCall(clock, run -> {
            f.accept(run.elapsedIntervals());
            return null;
        });
    }

    /**
     * Starts the loop with the first call at once, within this method; same as {@code start(interval, true)}.
     *
     * @param interval seconds between calls: finite and not negative
     * @return a Deferred that fires with this loop when {@link #stop()} ends it, or fails when the function fails
     * @throws IllegalArgumentException if {@code interval} is negative, NaN or infinite
     * @throws IllegalStateException    if the loop is running already
     */
    public Deferred<LoopingCall> start(double interval) {
        return start(interval, true);
    }

    /**
     * Starts the loop. The grid of calls is anchored at {@code clock.seconds()} now: with {@code now} true the
     * first call runs within this method and the next one is due one interval after the start; with {@code now}
     * false the first call is due one interval after the start.
     *
     * <p>The returned Deferred fires with this {@code LoopingCall} when {@link #stop()} ends the loop: at once
     * within {@code stop()} if no call is running, otherwise once the call in progress (and the Deferred it returned)
     * has finished. It fails, and the loop ends, when the function throws or its Deferred fails. It may have fired
     * already when this method returns (when {@code now} is true and the first call stopped or failed the loop).
     *
     * @param interval seconds between calls: finite and not negative (0: call again on every pass of the loop)
     * @param now      whether to make the first call at once
     * @return a Deferred of this loop, firing on the thread that drives the clock
     * @throws IllegalArgumentException if {@code interval} is negative, NaN or infinite
     * @throws IllegalStateException    if the loop is running already
     */
    public Deferred<LoopingCall> start(double interval, boolean now) {
        if (!(interval >= 0) || Double.isInfinite(interval)) {
            throw new IllegalArgumentException("interval must be finite and not negative, got " + interval);
        }
        if (isRunning()) {
            throw new IllegalStateException("cannot start " + this + ": it is already running");
        }
        Run r = new Run(clock.seconds(), interval, now);
        this.run = r;
        this.interval = interval;
        Deferred<LoopingCall> done = r.done;
        if (now) {
            r.invoke();
        } else {
            r.scheduleFrom(r.start);
        }
        return done;
    }

    /**
     * Stops the loop: no further call is made. The Deferred returned by {@link #start} fires with this loop at once,
     * within this method, unless a call is in progress (this method is called from the function, or the function's
     * Deferred has not fired yet); then it fires when that call finishes.
     *
     * @throws IllegalStateException if the loop is not running
     */
    public void stop() {
        if (!isRunning()) {
            throw new IllegalStateException("cannot stop " + this + ": it is not running");
        }
        run.stop();
    }

    /**
     * Whether the loop is running: true from {@link #start} until {@link #stop()} or a failure of the function.
     *
     * @return whether the loop is running
     */
    public boolean isRunning() {
        return run != null && run.running;
    }

    /**
     * The interval given to the latest {@link #start}.
     *
     * @return the interval, in seconds, or NaN if the loop was never started
     */
    public double interval() {
        return interval;
    }

    @Override
    public String toString() {
        return "LoopingCall[" + (isRunning() ? "running, every " + interval + "s" : "not running") + "]";
    }

    /** One run of the loop, from start to stop or failure; a later start makes a new one. */
    private final class Run {
        /** Tolerance, in intervals, for a call that lands a rounding error before its grid point. */
        private static final double GRID_EPSILON = 1e-9;
        /**
         * How far ahead of its grid point, in intervals, a call is scheduled, well within {@link #GRID_EPSILON}: so
         * that a clock stepped by sums of a binary-inexact interval (10 steps of 0.1) still reaches it.
         */
        private static final double SCHEDULE_SLACK = 1e-10;

        final Deferred<LoopingCall> done = new Deferred<>();
        final double start;
        final double interval;
        final boolean runAtStart;
        boolean running = true;
        DelayedCall call;
        double lastCallTime = Double.NaN;

        Run(double start, double interval, boolean runAtStart) {
            this.start = start;
            this.interval = interval;
            this.runAtStart = runAtStart;
        }

        void invoke() {
            call = null;
            Deferred<?> d;
            try {
                d = body.call(this);
            } catch (Throwable t) {
                failed(t);
                return;
            }
            if (d == null) {
                finished();
            } else {
                d.addCallbacks(result -> {
                    finished();
                    return null;
                }, failure -> {
                    failed(failure);
                    return null;
                });
            }
        }

        void finished() {
            if (running) {
                scheduleFrom(clock.seconds());
            } else {
                done.callback(LoopingCall.this);
            }
        }

        void failed(Throwable failure) {
            running = false;
            done.errback(failure);
        }

        void stop() {
            running = false;
            if (call != null) {
                call.cancel();
                call = null;
                done.callback(LoopingCall.this);
            }
        }

        void scheduleFrom(double when) {
            double delay = 0;
            if (interval > 0) {
                double next = start + (gridIndex(when) + 1) * interval;
                delay = Math.max(0, next - interval * SCHEDULE_SLACK - when);
            }
            call = clock.callLater(delay, this::invoke);
        }

        /** The number of the last grid point at or before {@code t} (a rounding error early counts as on it). */
        long gridIndex(double t) {
            return (long) Math.floor((t - start) / interval + GRID_EPSILON);
        }

        int elapsedIntervals() {
            double now = clock.seconds();
            if (interval == 0) {
                lastCallTime = now;
                return 1;
            }
            double last = lastCallTime;
            if (Double.isNaN(last)) {
                last = runAtStart ? start - interval : start;
            }
            lastCallTime = now;
            long count = gridIndex(now) - gridIndex(last);
            return (int) Math.max(1, Math.min(count, Integer.MAX_VALUE));
        }
    }
}
