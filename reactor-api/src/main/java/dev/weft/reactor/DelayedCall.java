package dev.weft.reactor;

/**
 * A call scheduled with {@link ReactorTime#callLater(double, Runnable)}.
 *
 * <p>Not thread-safe: use it on the reactor thread.
 */
public interface DelayedCall {

    /**
     * The time at which the call is due, on the clock of {@link ReactorTime#seconds()}.
     *
     * @return the due time, in seconds
     */
    double getTime();

    /**
     * Cancels the call: it will not run. Its function is released.
     *
     * @throws AlreadyCalledException    if the call has run or is running (a call may not cancel itself)
     * @throws AlreadyCancelledException if the call was cancelled already
     */
    void cancel();

    /**
     * Moves the call later (or earlier, for a negative value) by {@code secondsLater}.
     *
     * @param secondsLater seconds to add to the due time: finite
     * @throws AlreadyCalledException    if the call has run
     * @throws AlreadyCancelledException if the call was cancelled
     * @throws IllegalArgumentException  if {@code secondsLater} is NaN or infinite
     */
    void delay(double secondsLater);

    /**
     * Sets the due time to now plus {@code secondsFromNow}.
     *
     * @param secondsFromNow seconds from now: finite and not negative
     * @throws AlreadyCalledException    if the call has run
     * @throws AlreadyCancelledException if the call was cancelled
     * @throws IllegalArgumentException  if {@code secondsFromNow} is negative, NaN or infinite
     */
    void reset(double secondsFromNow);

    /**
     * Whether the call is still to run: true until it runs or is cancelled.
     *
     * @return whether the call is pending
     */
    boolean active();
}
