package dev.weft.reactor.spi;

import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.internal.DelayedCallQueue;
import dev.weft.reactor.internal.StandIn;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One pass of the loop, and what a run of the loop keeps between passes: the {@code callFromThread} queue, the
 * DelayedCalls, whether the loop waits (so that {@code callFromThread} wakes it), the thread it runs on, and the
 * blocked-loop detector around the callbacks. A {@link LoopDriver} strings passes together:
 * {@link #runCallbacks()} (the {@code shutdown} event if due, a snapshot of the thread calls, the DelayedCalls due at
 * one reading of the clock), then {@link #beginWait(long)}, a wait for I/O of at most {@link #waitNanos(long)},
 * {@link #ioReady()} when the wait is over, the dispatch of what was ready, and {@link #endWait()}. The blocked-loop
 * detector counts the loop idle from {@code beginWait} to {@code ioReady} (or {@code endWait} when nothing was
 * dispatched), busy otherwise.
 *
 * <p>Called on the reactor thread, but {@link #enter(Thread)} and {@link #checkCanEnter()} on the thread that starts
 * the run. For implementors of backends.
 */
public final class LoopPass {
    private final ReactorBase reactor;
    private final Lifecycle lifecycle;
    private final BlockedLoopDetector detector;
    final DelayedCallQueue timers;
    final ThreadCallQueue threadCalls = new ThreadCallQueue();
    final AtomicBoolean waiting = new AtomicBoolean();
    /**
     * Runs a due DelayedCall. Its log line names the function as well as the call: the queue drops the function
     * from the DelayedCall before running it, so the DelayedCall alone no longer says what raised the error.
     */
    private final DelayedCallQueue.Invoker timerInvoker;
    private final Consumer<Runnable> threadCallRunner;
    private final FlightEvents flight;
    /**
     * Whether the loop waits for I/O (from {@link #beginWait(long)} until {@link #ioReady()} or {@link #endWait()}),
     * which the blocked-loop detector counts as idle. Loop thread.
     */
    private Activity activity = Activity.BUSY;
    /** The time the DelayedCalls of this pass run at. Loop thread. */
    private double timersNow;
    private boolean exitRequested;
    private volatile boolean inLoop;
    private volatile Thread reactorThread;

    LoopPass(ReactorBase reactor, Lifecycle lifecycle, BlockedLoopDetector detector, FlightEvents flight) {
        this.reactor = reactor;
        this.flight = flight;
        this.lifecycle = lifecycle;
        this.detector = detector;
        this.timers = new DelayedCallQueue(reactor::seconds, reactor::earliestDeadlineChanged);
        this.threadCallRunner = reactor::runThreadCall;
        this.timerInvoker = (call, f) -> {
            flight.timerRuns(call, call.getTime(), timersNow);
            try {
                f.run();
            } catch (Throwable t) {
                reactor.logError("in a timed call (" + f + ", " + call + ")", t);
            }
        };
    }

    // ---------------------------------------------------------------- a run

    /**
     * Checks that a run may start now. Called on the thread that starts the run.
     *
     * @throws ReactorAlreadyRunningException                 if the loop is already running
     * @throws dev.weft.reactor.ReactorNotRestartableException if the reactor was stopped
     */
    public void checkCanEnter() {
        lifecycle.checkNotStopped();
        if (inLoop) {
            throw new ReactorAlreadyRunningException("the reactor's loop is already running"
                    + (isLoopThread() ? " (called from inside a callback)" : " on thread " + reactorThread));
        }
        lifecycle.checkNoShutdownBegun();
    }

    /** Whether the reactor can never run again (stopped, or its shutdown cut short by a crash). Any thread. */
    boolean ended() {
        return lifecycle.ended();
    }

    /**
     * Marks the loop as running on {@code loopThread}, after {@link #checkCanEnter()}. Called on the thread that
     * starts the run, which may be another than {@code loopThread} (a host loop's).
     *
     * @param loopThread the thread every callback will run on
     */
    public void enter(Thread loopThread) {
        Objects.requireNonNull(loopThread, "loopThread");
        checkCanEnter();
        inLoop = true;
        reactorThread = loopThread;
        detector.start(loopThread);
        detector.busy();
        if (Thread.currentThread() == loopThread) {
            flight.passBegins(); // the first pass runs before any poll (an attached loop's starts on its own thread)
        }
    }

    /** The run is over (normally or not). On the loop thread, or the thread that started the run. */
    public void leave() {
        detector.stop();
        activity = Activity.BUSY;
        exitRequested = false;
        inLoop = false;
    }

    /** Fires the {@code startup} event if this is the first run (or the first since a crash). Loop thread. */
    public void fireStartupIfDue() {
        if (lifecycle.beginStartup()) {
            reactor.fireEvent(ReactorCore.STARTUP);
        }
    }

    /**
     * Whether the run is over: it ended ({@code stop()}'s shutdown, {@code crash()}) or {@code until} holds.
     *
     * @param until the caller's condition
     * @return true to end the run
     */
    public boolean ended(BooleanSupplier until) {
        return exitRequested || until.getAsBoolean();
    }

    /**
     * After the last pass of a run: if the reactor stopped, releases the backend's resources
     * ({@link ReactorBase#onShutdown()}). Loop thread.
     */
    public void releaseIfStopped() {
        if (lifecycle.isStopped()) {
            cancelSuspendedBodies();
            try {
                reactor.onShutdown();
            } catch (Throwable t) {
                logError("while releasing the resources of the " + reactor.backendName() + " backend", t);
            }
        }
    }

    /**
     * Shutdown is complete: every coroutine body suspended on the reactor's behalf gets a {@code CancelledException}
     * at its {@code await()}, so none waits for a loop that has stopped; a body that catches it and awaits again is
     * cancelled again, three rounds at most, then left. Loop thread, before the backend releases its resources.
     */
    private void cancelSuspendedBodies() {
        for (int round = 0; round < 3 && StandIn.cancelSuspended() > 0; round++) {
            // each round resumes the bodies, which run until they await again or end
        }
    }

    /** {@code crash()} or the {@code DURING} phase of shutdown: the run ends after the current pass. */
    void requestExit() {
        exitRequested = true;
    }

    // ---------------------------------------------------------------- a pass

    /**
     * The first half of a pass: fires the {@code shutdown} event if a stop is due, then runs a snapshot of the
     * thread calls and the DelayedCalls due now. Loop thread.
     */
    public void runCallbacks() {
        if (lifecycle.takeShutdown()) {
            reactor.fireEvent(ReactorCore.SHUTDOWN);
        }
        threadCalls.runSnapshot(threadCallRunner);
        timersNow = reactor.seconds();
        timers.runDue(timersNow, timerInvoker);
    }

    /**
     * How long the loop may wait for I/O now: 0 when work is pending (thread calls, a stop, a due timer), the time
     * to the next deadline otherwise, or -1 when nothing is scheduled; never more than {@code maxNanos} unless that
     * is -1. Loop thread.
     *
     * @param maxNanos the cap, or -1 for none
     * @return nanoseconds to wait, 0, or -1 for no limit
     */
    public long waitNanos(long maxNanos) {
        if (!threadCalls.isEmpty() || lifecycle.shutdownDue() || exitRequested) {
            return 0;
        }
        long t = -1;
        double next = timers.nextDeadline();
        if (next != Double.POSITIVE_INFINITY) {
            double dt = next - reactor.seconds();
            t = dt <= 0 ? 0 : dt >= 9e9 ? Long.MAX_VALUE : (long) Math.ceil(dt * 1e9);
        }
        if (maxNanos >= 0) {
            t = t < 0 ? maxNanos : Math.min(t, maxNanos);
        }
        return t;
    }

    /**
     * The loop is about to wait up to {@code timeoutNanos}: from now on {@code callFromThread} wakes it. Loop thread.
     *
     * @param timeoutNanos the wait {@link #waitNanos(long)} allowed
     * @return the wait to use: 0 if a thread call came meanwhile, else {@code timeoutNanos}
     */
    public long beginWait(long timeoutNanos) {
        if (timeoutNanos != 0) {
            waiting.set(true);
            if (!threadCalls.isEmpty()) {
                timeoutNanos = 0;
            }
        }
        activity = Activity.WAITING;
        detector.idle();
        flight.passEnds();
        return timeoutNanos;
    }

    /**
     * The wait for I/O is over and what was ready is about to be dispatched: from now on the loop is busy for the
     * blocked-loop detector (and the pass's flight event), so that a callback dispatched from the poll (a
     * {@code connectionMade}, a {@code dataReceived}, a {@code doRead}) that holds the loop is reported. A backend
     * calls it before it runs any of the reactor's code for the I/O it found: right after its wait returns, or at
     * each entry from its I/O into the reactor. Only the first call after {@link #beginWait(long)} does anything
     * (one field read otherwise); it must not come before the wait is over, nor before a later wait in the same
     * poll. Loop thread.
     */
    public void ioReady() {
        if (activity == Activity.WAITING) {
            markBusy();
        }
    }

    /** The wait (and the dispatch of what it found) is over: callbacks run again. Loop thread. */
    public void endWait() {
        waiting.set(false);
        if (activity == Activity.WAITING) {
            markBusy();
        }
    }

    private void markBusy() {
        activity = Activity.BUSY;
        detector.busy();
        flight.passBegins();
    }

    /**
     * Clears the interrupt flag of the loop thread, so that the next poll for I/O can block (an interrupted thread
     * makes a {@code Selector} return at once), and takes an interrupt as a request to stop. Loop thread.
     */
    public void takeInterrupt() {
        if (Thread.interrupted()) {
            stopOnInterrupt();
        }
    }

    /**
     * The thread that runs the reactor was interrupted (the loop thread, or the thread waiting in {@code run()} for
     * a loop that runs on a host's thread): a request to stop, as a SIGINT is. Stops the reactor if {@code stop()}
     * would be accepted now; otherwise the interrupt has no other effect. The caller has cleared the flag. Loop
     * thread.
     */
    public void stopOnInterrupt() {
        if (lifecycle.mayStop()) {
            ReactorBase.LOG.info("the thread of the {} reactor was interrupted: stopping the reactor",
                    reactor.backendName());
            reactor.stop();
        } else {
            ReactorBase.LOG.debug("the thread of the {} reactor was interrupted while it could not stop: ignored",
                    reactor.backendName());
        }
    }

    /**
     * {@code callFromThread} of the reactor (for a driver that waits on another thread than the loop's). Any thread.
     *
     * @param f what to run on the loop thread
     */
    public void callFromThread(Runnable f) {
        reactor.callFromThread(f);
    }

    /**
     * Logs an unhandled error, with what raised it; see {@link ReactorBase#logError(String, Throwable)}. Any thread.
     *
     * @param what where it happened
     * @param t    the error
     */
    public void logError(String what, Throwable t) {
        reactor.logError(what, t);
    }

    // ---------------------------------------------------------------- for the reactor

    boolean inLoop() {
        return inLoop;
    }

    /** The reactor thread, or a coroutine body standing in for it (see {@code StandIn}). */
    boolean isLoopThread() {
        Thread t = reactorThread;
        return Thread.currentThread() == t || StandIn.actsAs(t); // the plain comparison first: no ThreadLocal read
    }

    Thread reactorThread() {
        return reactorThread;
    }

    /** What the loop is doing, for the blocked-loop detector. */
    private enum Activity {
        /** Running code: callbacks, or the dispatch of I/O; a stretch longer than the threshold is reported. */
        BUSY,
        /** Waiting for I/O (or for a host loop to run the next pass): never reported. */
        WAITING
    }
}
