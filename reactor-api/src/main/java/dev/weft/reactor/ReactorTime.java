package dev.weft.reactor;

import java.time.Duration;
import java.util.List;

/**
 * Time: a monotonic clock and calls scheduled on it.
 *
 * <p>Not thread-safe: call these methods on the reactor thread (or before the reactor runs). From another thread,
 * wrap the call in {@link ReactorThreads#callFromThread(Runnable)}.
 */
public interface ReactorTime {

    /**
     * The current time in seconds on this reactor's clock. It is monotonic (never goes backwards) and has no
     * relation to wall-clock time; every deadline of the reactor is expressed on it.
     *
     * @return the current time, in seconds
     */
    double seconds();

    /**
     * Schedules {@code f} to run on the reactor thread once {@code delaySeconds} have passed.
     *
     * <p>The call runs in a later pass of the loop, never during the call to {@code callLater} itself, and never
     * in the same pass as the callback that scheduled it, even for a delay of 0 (I/O is polled in between).
     * Calls with the same deadline run in the order they were scheduled. An exception thrown by {@code f} is logged
     * and the loop goes on. Nothing runs before the reactor is started.
     *
     * @param delaySeconds how long to wait, in seconds: finite and not negative
     * @param f            what to run
     * @return a handle to cancel, delay or reset the call
     * @throws IllegalArgumentException if {@code delaySeconds} is negative, NaN or infinite
     * @throws NullPointerException     if {@code f} is null
     */
    DelayedCall callLater(double delaySeconds, Runnable f);

    /**
     * Schedules {@code f} after {@code delay}; see {@link #callLater(double, Runnable)}.
     *
     * @param delay how long to wait: not negative
     * @param f     what to run
     * @return a handle to cancel, delay or reset the call
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws NullPointerException     if an argument is null
     */
    default DelayedCall callLater(Duration delay, Runnable f) {
        if (delay == null) {
            throw new NullPointerException("delay must not be null");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return callLater(delay.getSeconds() + delay.getNano() / 1e9, f);
    }

    /**
     * The calls that are scheduled and still active (neither run nor cancelled), in no particular order.
     *
     * @return a snapshot list; changing it changes nothing
     */
    List<DelayedCall> getDelayedCalls();
}
