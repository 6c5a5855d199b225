package dev.weft.reactor.spi;

import java.util.function.BooleanSupplier;

/**
 * How a reactor's loop is driven: by a loop that polls by itself on the thread that runs the reactor
 * ({@code PollingLoop}, made by {@link ReactorBase} from an {@link IoPoller}), or by passes that a host loop runs
 * between its own tasks (an attached Netty reactor). Either way a pass is the one {@link LoopPass} describes. For
 * implementors of backends.
 */
public interface LoopDriver {

    /**
     * Runs the loop for {@code run()} and {@code runUntil()}: the {@code startup} event first if it has not fired,
     * then passes until {@code until} holds or the loop ends ({@code stop()}, {@code crash()}). Returns when the loop
     * has ended. Called on the thread that called {@code run()}.
     *
     * @param until checked on the loop thread before each pass; true ends the loop
     * @throws dev.weft.reactor.ReactorAlreadyRunningException  if the loop is already running
     * @throws dev.weft.reactor.ReactorNotRestartableException if the reactor was stopped
     */
    void run(BooleanSupplier until);

    /**
     * Runs one pass for {@code iterate()}, without the {@code startup} event: due calls, then a wait for I/O of at
     * most {@code maxTimeoutNanos} and its dispatch. Called on the thread that called {@code iterate()}.
     *
     * @param maxTimeoutNanos the longest wait for I/O, at least 0
     * @throws dev.weft.reactor.ReactorAlreadyRunningException  if the loop is already running
     * @throws dev.weft.reactor.ReactorNotRestartableException if the reactor was stopped
     */
    void iterate(long maxTimeoutNanos);

    /**
     * Makes the loop's wait (or its next one) end at once, so that the next pass runs. Called from any thread, only
     * when the loop may be waiting ({@link LoopPass#beginWait(long)}).
     */
    void wakeUp();

    /**
     * A DelayedCall became the earliest one ({@code callLater}, {@code reset} or {@code delay}), on the thread that
     * made the change (the reactor thread, or any thread before the loop runs). A driver that sleeps until the
     * earliest deadline outside of its passes wakes earlier; a polling loop does nothing, since each pass computes
     * its wait after running its callbacks.
     */
    void earliestDeadlineChanged();
}
