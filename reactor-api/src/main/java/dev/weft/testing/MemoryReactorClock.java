package dev.weft.testing;

import dev.weft.defer.Deferred;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import dev.weft.task.Clock;
import java.util.List;
import java.util.Objects;

/**
 * A {@link MemoryReactor} with a {@link Clock} for time (Twisted's {@code MemoryReactorClock}): timed calls run
 * only when the test moves the clock with {@link #advance(double)} or {@link #pump(double...)}, on the test's
 * thread.
 *
 * <p>Not thread-safe; use it on one thread (the test's).
 */
public class MemoryReactorClock extends MemoryReactor implements ReactorTime {

    private final Clock clock = new Clock();

    /** Creates a reactor at time 0 that has recorded nothing. */
    public MemoryReactorClock() {
    }

    @Override
    public double seconds() {
        return clock.seconds();
    }

    @Override
    public DelayedCall callLater(double delaySeconds, Runnable f) {
        return clock.callLater(delaySeconds, f);
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return clock.getDelayedCalls();
    }

    /**
     * Moves time forward and runs the calls that are due; see {@link Clock#advance(double)}.
     *
     * @param seconds how far, finite and not negative
     */
    public void advance(double seconds) {
        clock.advance(seconds);
    }

    /**
     * Moves time forward step by step; see {@link Clock#pump(double...)}.
     *
     * @param timings the steps, in seconds
     */
    public void pump(double... timings) {
        clock.pump(timings);
    }

    /**
     * The clock behind this reactor.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Runs the calls due now, without moving time.
     *
     * @param delaySeconds ignored, but checked: finite and not negative
     */
    @Override
    public void iterate(double delaySeconds) {
        super.iterate(delaySeconds);
        clock.advance(0);
    }

    /**
     * Moves the clock from deadline to deadline, running the due calls, until {@code d} fires; then returns its
     * result or throws its failure.
     *
     * @param d   the Deferred
     * @param <T> the result type
     * @return its result
     * @throws Exception             its failure
     * @throws IllegalStateException if no scheduled call is left and {@code d} has not fired
     */
    @Override
    public <T> T runUntil(Deferred<T> d) throws Exception {
        Objects.requireNonNull(d, "d must not be null");
        Outcome<T> outcome = Outcome.of(d);
        clock.advance(0);
        while (!outcome.done) {
            double next = Double.POSITIVE_INFINITY;
            for (DelayedCall c : clock.getDelayedCalls()) {
                next = Math.min(next, c.getTime());
            }
            if (next == Double.POSITIVE_INFINITY) {
                throw new IllegalStateException("the Deferred has not fired and nothing is scheduled: " + d);
            }
            clock.advance(Math.max(0, next - clock.seconds()));
        }
        return outcome.get();
    }
}
