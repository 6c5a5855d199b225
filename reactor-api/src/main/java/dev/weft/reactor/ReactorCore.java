package dev.weft.reactor;

import dev.weft.defer.Deferred;

/**
 * The lifecycle of a reactor and its system events.
 *
 * <p>Lifecycle: {@link #run()} fires the {@code "startup"} event (its {@code BEFORE} triggers, the Deferreds they
 * return, then {@code DURING}, in which {@link #isRunning()} becomes true, then {@code AFTER}) and runs the loop.
 * {@link #stop()} asks for shutdown; at the end of the current pass of the loop the {@code "shutdown"} event fires:
 * {@code BEFORE} triggers (their Deferreds awaited, the loop still running), {@code DURING} (every descriptor and
 * connection gets {@code connectionLost}, the thread pool stops and is joined), {@code AFTER}; then {@code run()}
 * returns. A stopped reactor cannot run again. {@link #crash()} ends the loop at once with no triggers, and the
 * reactor can run again.
 *
 * <p>Every method here must be called on the reactor thread or before the reactor runs; from another thread use
 * {@link ReactorThreads#callFromThread(Runnable)}.
 */
public interface ReactorCore {

    /** The name of the event fired by {@link #run()}. */
    String STARTUP = "startup";

    /** The name of the event fired after {@link #stop()}. */
    String SHUTDOWN = "shutdown";

    /**
     * Starts the reactor and runs the loop on the calling thread until it is stopped or crashed.
     *
     * <p>Installs a JVM shutdown hook for the duration of the run, so that a SIGINT or SIGTERM stops the reactor
     * and runs its shutdown triggers.
     *
     * @throws ReactorAlreadyRunningException if the reactor is already running (before its {@code DURING} shutdown
     *                                        phase)
     * @throws ReactorNotRestartableException if {@link #stop()} was called on this reactor before, also when called
     *                                        from a {@code DURING} or {@code AFTER} shutdown trigger
     */
    void run();

    /**
     * Asks the reactor to stop: shutdown starts at the end of the current pass of the loop, never inside this call.
     * Accepted from the moment {@code run()} begins startup, as in Twisted: a stop asked for by a {@code BEFORE}
     * startup trigger, or by a callback of the Deferred it returned, lets startup finish if it can, then shuts down.
     *
     * @throws ReactorNotRunningException if the reactor has not begun to start, or is already stopping
     */
    void stop();

    /**
     * Ends the loop after the current pass, with no shutdown triggers. The reactor may run again.
     */
    void crash();

    /**
     * Runs one pass of the loop: due thread calls and timed calls, then a poll for I/O that waits at most
     * {@code delaySeconds} (less when a call is due sooner), then the I/O callbacks. Not re-entrant.
     *
     * @param delaySeconds the longest time to wait for I/O, finite and not negative; 0 does not block
     * @throws IllegalArgumentException       if {@code delaySeconds} is negative, NaN or infinite
     * @throws ReactorAlreadyRunningException if called from inside the loop (from a callback)
     */
    void iterate(double delaySeconds);

    /**
     * Whether the reactor is running: false while the {@code BEFORE} startup triggers run, true from the
     * {@code DURING} startup phase until the {@code DURING} shutdown phase.
     *
     * @return whether the reactor is running
     */
    boolean isRunning();

    /**
     * Runs {@code f} once the reactor is running: at once when it already is, otherwise as an {@code AFTER}
     * startup trigger, in the order of the calls.
     *
     * @param f what to run
     * @return the id of the trigger, or {@code null} when {@code f} ran at once
     * @throws NullPointerException if {@code f} is null
     */
    TriggerId callWhenRunning(Runnable f);

    /**
     * Adds a trigger to a phase of a system event.
     *
     * @param phase   the phase
     * @param event   the event name, e.g. {@link #STARTUP} or {@link #SHUTDOWN}
     * @param trigger what to run; it may return a Deferred to hold the phase ({@code BEFORE} only, see
     *                {@link SystemEventTrigger})
     * @return an id to remove the trigger with
     * @throws NullPointerException if an argument is null
     */
    TriggerId addSystemEventTrigger(Phase phase, String event, SystemEventTrigger trigger);

    /**
     * Adds a trigger that does not hold its phase; see {@link #addSystemEventTrigger(Phase, String, SystemEventTrigger)}.
     *
     * @param phase   the phase
     * @param event   the event name
     * @param trigger what to run
     * @return an id to remove the trigger with
     * @throws NullPointerException if an argument is null
     */
    TriggerId addSystemEventTrigger(Phase phase, String event, Runnable trigger);

    /**
     * Removes a trigger. A trigger removed while its event is firing does not run, if it has not run yet.
     *
     * @param id the id returned when the trigger was added
     * @throws IllegalArgumentException if there is no such trigger
     * @throws NullPointerException     if {@code id} is null
     */
    void removeSystemEventTrigger(TriggerId id);

    /**
     * Fires a system event: its triggers run phase by phase, each trigger once. The {@code BEFORE} phase may wait
     * for Deferreds, in which case this method returns before the later phases have run.
     *
     * @param event the event name
     * @throws NullPointerException if {@code event} is null
     */
    void fireSystemEvent(String event);

    /**
     * Runs the loop until {@code d} has fired, then returns its result or throws its failure. Starts the reactor
     * (startup triggers) on first use; may be called again and again on a reactor that was not stopped. If the
     * reactor is stopped or crashed before {@code d} fires, throws {@link ReactorNotRunningException}.
     *
     * @param d   the Deferred to wait for
     * @param <T> the result type
     * @return the result of {@code d}
     * @throws Exception                      the failure of {@code d}, as it is
     * @throws ReactorAlreadyRunningException if the loop is already running (called from a callback)
     * @throws ReactorNotRestartableException if the reactor was stopped before
     */
    <T> T runUntil(Deferred<T> d) throws Exception;

    /**
     * The number of connections, connectors that are connecting, and ports (TCP and UDP) this reactor holds open
     * now: the resources its shutdown would close. For monitoring and for tests of leaks (a count that goes back to
     * where it was once the connections are closed). Call on the reactor thread, or while the loop is not running.
     *
     * @return how many resources are open
     */
    int openResourceCount();
}
