package dev.weft.reactor.spi;

import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;

/**
 * The life of a reactor: one {@link LifecycleState}, and whether a {@code shutdown} event is due (a {@code stop()}
 * accepted whose event the next pass fires). Every transition is here. Changed on the reactor thread (or while the
 * loop is not running); the state may be read from any thread.
 */
final class Lifecycle {
    private volatile LifecycleState state = LifecycleState.NOT_STARTED;
    private boolean shutdownDue;

    /** {@code isRunning()}: startup reached {@code DURING} and neither shutdown nor a crash ended it. */
    boolean isRunning() {
        return state.running();
    }

    /** Whether shutdown reached its {@code DURING} phase. Any thread. */
    boolean isStopped() {
        return state == LifecycleState.STOPPED;
    }

    /** Whether the reactor can never run again: its shutdown reached {@code DURING}, or a crash cut it short. Any thread. */
    boolean ended() {
        LifecycleState s = state;
        return s == LifecycleState.STOPPED || s == LifecycleState.SHUTDOWN_CUT_SHORT;
    }

    /** Whether a {@code shutdown} event is due at the start of the next pass. */
    boolean shutdownDue() {
        return shutdownDue;
    }

    /**
     * Whether {@code stop()} is accepted now: from the moment {@code run()} begins startup (its {@code BEFORE}
     * triggers, and the Deferreds they returned, included, as in Twisted) until a stop is accepted.
     */
    boolean mayStop() {
        return (state == LifecycleState.STARTING || state == LifecycleState.RUNNING) && !shutdownDue;
    }

    /** Whether a stop was accepted (and the reactor has not gone back to running since, which it never does). */
    boolean stopping() {
        return shutdownDue || (state != LifecycleState.NOT_STARTED && state != LifecycleState.STARTING
                && state != LifecycleState.RUNNING);
    }

    /**
     * {@code stop()}: accepted when {@link #mayStop()}; the {@code shutdown} event becomes due.
     *
     * @throws ReactorNotRunningException if it is not running or already stopping
     */
    void stop() {
        if (!mayStop()) {
            throw new ReactorNotRunningException(stopping()
                    ? "can't stop the reactor: it is already stopping"
                    : "can't stop the reactor: it is not running");
        }
        state = state == LifecycleState.RUNNING ? LifecycleState.STOPPING : LifecycleState.STOPPING_BEFORE_RUNNING;
        shutdownDue = true;
    }

    /**
     * Checks that the reactor has not stopped (from the {@code DURING} shutdown phase on, also inside a shutdown
     * trigger of the loop still running: Twisted).
     *
     * @throws ReactorNotRestartableException if it stopped
     */
    void checkNotStopped() {
        if (state == LifecycleState.STOPPED) {
            throw notRestartable();
        }
    }

    /**
     * Checks that no shutdown has begun: a stopped reactor never runs again, even when a crash cut its shutdown
     * short. A {@code stop()} accepted while the loop was not iterating has not begun: the next run does it.
     *
     * @throws ReactorNotRestartableException if a shutdown began
     */
    void checkNoShutdownBegun() {
        if (state == LifecycleState.SHUTDOWN_CUT_SHORT || (stopping() && !shutdownDue)) {
            throw notRestartable();
        }
    }

    private static ReactorNotRestartableException notRestartable() {
        return new ReactorNotRestartableException("the reactor was stopped and cannot run again; create a new one");
    }

    /**
     * The run begins startup: true (and the state moves on) if the {@code startup} event is to fire now.
     *
     * @return whether to fire {@code startup}
     */
    boolean beginStartup() {
        if (state != LifecycleState.NOT_STARTED) {
            return false;
        }
        state = shutdownDue ? LifecycleState.STOPPING_BEFORE_RUNNING : LifecycleState.STARTING;
        return true;
    }

    /** Startup reached its {@code DURING} phase. */
    void startupReached() {
        switch (state) {
            case NOT_STARTED, STARTING -> state = LifecycleState.RUNNING;
            case STOPPING_BEFORE_RUNNING -> state = LifecycleState.STOPPING;
            default -> {
                // running already, or shutting down: nothing changes
            }
        }
    }

    /**
     * Takes the due {@code shutdown} event, if any.
     *
     * @return true if the caller is to fire it now
     */
    boolean takeShutdown() {
        if (!shutdownDue) {
            return false;
        }
        shutdownDue = false;
        return true;
    }

    /**
     * Shutdown reached its {@code DURING} phase: if a stop was accepted, the reactor is stopped now.
     *
     * @return true if it stopped (the caller closes everything), false for a {@code shutdown} event fired by hand
     */
    boolean shutdownReached() {
        if (!stopping()) {
            return false;
        }
        state = LifecycleState.STOPPED;
        return true;
    }

    /** {@code crash()}: the run ends without shutdown; see {@link LifecycleState}. */
    void crash() {
        switch (state) {
            case STARTING, RUNNING -> state = LifecycleState.NOT_STARTED;
            case STOPPING, STOPPING_BEFORE_RUNNING ->
                    state = shutdownDue ? LifecycleState.NOT_STARTED : LifecycleState.SHUTDOWN_CUT_SHORT;
            default -> {
                // not started, cut short or stopped: stays
            }
        }
    }

    @Override
    public String toString() {
        return state + (shutdownDue ? " (shutdown due)" : "");
    }
}
