package dev.weft.task;

import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import dev.weft.reactor.internal.DelayedCallQueue;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ReactorTime} whose time moves only when told to, for tests (Twisted's {@code task.Clock}).
 *
 * <p>Time starts at {@code 0.0}. {@link #callLater(double, Runnable)} only schedules; nothing runs until
 * {@link #advance(double)} or {@link #pump(double...)} moves time, and then every due call runs on the thread
 * that called {@code advance}, earliest first, calls due at the same time in the order they were scheduled. Unlike
 * a reactor, a {@code Clock} does not log exceptions: one thrown by a call propagates out of {@code advance}, and
 * the calls still due run on the next {@code advance}.
 *
 * <p>Not thread-safe: use one thread (normally the test's).
 */
public final class Clock implements ReactorTime {

    private final DelayedCallQueue calls = new DelayedCallQueue(this::seconds);
    private double now;

    /** Creates a clock at time {@code 0.0} with no calls scheduled. */
    public Clock() {
    }

    /**
     * The current time of this clock: {@code 0.0} plus everything {@link #advance(double)} added.
     *
     * @return the current time, in seconds
     */
    @Override
    public double seconds() {
        return now;
    }

    /**
     * Schedules {@code f} to run, on the thread that calls {@link #advance(double)}, once the clock has moved
     * {@code delaySeconds} forward. It never runs inside this method; a delay of 0 runs on the next
     * {@code advance}, even {@code advance(0)}.
     *
     * @param delaySeconds how long to wait, in seconds: finite and not negative
     * @param f            what to run
     * @return a handle to cancel, delay or reset the call
     * @throws IllegalArgumentException if {@code delaySeconds} is negative, NaN or infinite
     * @throws NullPointerException     if {@code f} is null
     */
    @Override
    public DelayedCall callLater(double delaySeconds, Runnable f) {
        return calls.schedule(delaySeconds, f);
    }

    /**
     * The calls still scheduled (neither run nor cancelled).
     *
     * @return a snapshot list, in no particular order; changing it changes nothing
     */
    @Override
    public List<DelayedCall> getDelayedCalls() {
        return calls.active();
    }

    /**
     * Moves time forward by {@code seconds}, then runs, on the calling thread, every call due at the new time:
     * earliest first, ties in the order they were scheduled. Calls scheduled by those calls that are due by then
     * (a {@code callLater(0, ...)}, say) run too, before this method returns.
     *
     * <p>An exception thrown by a call propagates out of this method at once; the calls that are still due stay
     * scheduled and run on the next {@code advance}.
     *
     * @param seconds how far to move, in seconds: finite and not negative ({@code 0} runs what is due now)
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     */
    public void advance(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be finite and not negative, got " + seconds);
        }
        now += seconds;
        while (calls.nextDeadline() <= now) {
            calls.runDue(now, (call, f) -> f.run());
        }
    }

    /**
     * Advances the clock by each of {@code timings} in turn, as {@link #advance(double)} does, running the due calls
     * after each step. An exception from a call, or a bad timing, stops the pump there (earlier steps stay done).
     *
     * @param timings the steps, in seconds: each finite and not negative
     * @throws IllegalArgumentException if a step is negative, NaN or infinite
     * @throws NullPointerException     if {@code timings} is null
     */
    public void pump(double... timings) {
        Objects.requireNonNull(timings, "timings must not be null");
        for (double t : timings) {
            advance(t);
        }
    }

    /**
     * Advances the clock by each of {@code timings} in turn; see {@link #pump(double...)}.
     *
     * @param timings the steps, in seconds: each finite and not negative
     * @throws IllegalArgumentException if a step is negative, NaN or infinite
     * @throws NullPointerException     if {@code timings} or one of its elements is null
     */
    public void pump(List<Double> timings) {
        Objects.requireNonNull(timings, "timings must not be null");
        for (Double t : timings) {
            advance(Objects.requireNonNull(t, "timings must not contain null"));
        }
    }

    @Override
    public String toString() {
        return "Clock[" + now + "s, " + calls.size() + " scheduled]";
    }
}
