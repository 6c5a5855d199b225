package dev.weft.netty;

import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.spi.LoopDriver;
import dev.weft.reactor.spi.LoopPass;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The passes of a reactor attached to a borrowed Netty loop, run as tasks of that loop between the server's own:
 * every pass runs from one Netty timer, armed for the earliest deadline, brought forward by I/O of the reactor's
 * channels and by {@code callFromThread}. The events of the reactor's channels that come while it is not running
 * wait here ({@link #onLoop(Runnable)}). Loop thread, except where a method says otherwise.
 */
final class AttachedLoop implements LoopDriver {
    private static final long LOOP_ENDED = -2;

    private final LoopPass pass;
    private final IoEventLoop loop;
    private final Thread loopThread;
    private final ChannelWatchQueue watches;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final Runnable wake = this::wakeOnLoop;
    private final Runnable timerTask = this::timerFired;
    /** Channel events that came while the reactor was not running. */
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private volatile boolean active;
    private boolean inPass;
    private BooleanSupplier until;
    private boolean startup;
    private boolean iterating;
    private long iterateDeadline;
    private int passes;
    private boolean ioSeen;
    private volatile CompletableFuture<Void> ended;
    private ScheduledFuture<?> timer;
    private long timerDeadline;
    private boolean shutDown;

    AttachedLoop(LoopPass pass, IoEventLoop loop, Thread loopThread, ChannelWatchQueue watches) {
        this.pass = pass;
        this.loop = loop;
        this.loopThread = loopThread;
        this.watches = watches;
    }

    // ---------------------------------------------------------------- starting and waiting (any thread)

    /**
     * {@code run()} and {@code runUntil()}: starts the passes on the loop and waits for them to end. An interrupt
     * of the waiting thread asks the reactor to stop (as an interrupt of an owned loop's thread does) and the wait
     * goes on until the shutdown is done; the flag is consumed. The loop's own thread is Netty's: an interrupt of it
     * is Netty's business, but one that comes while a pass runs (from a callback) is taken as a stop at the end of
     * that pass. Called on a thread other than the loop's.
     */
    @Override
    public void run(BooleanSupplier runUntil) {
        CompletableFuture<Void> done = start(runUntil, true, true, -1);
        while (true) {
            try {
                done.get();
                return;
            } catch (InterruptedException e) {
                pass.callFromThread(pass::stopOnInterrupt);
            } catch (ExecutionException e) {
                await(done);
                return;
            }
        }
    }

    @Override
    public void iterate(long maxTimeoutNanos) {
        await(start(null, false, true, maxTimeoutNanos));
    }

    /** {@code startRunning()}: starts the passes without waiting. Any thread, the loop's included. */
    void startRunning() {
        CompletableFuture<Void> done = start(() -> false, true, false, -1);
        if (done.isCompletedExceptionally()) {
            await(done);
        }
    }

    private CompletableFuture<Void> start(BooleanSupplier runUntil, boolean fireStartup, boolean blocking,
            long iterateNanos) {
        pass.checkCanEnter();
        if (blocking && loop.inEventLoop()) {
            throw new IllegalStateException("run(), runUntil() and iterate() of a reactor attached to " + loop
                    + " cannot be called on that loop's own thread: they would wait for the loop they block forever;"
                    + " call startRunning() there, or run() from another thread");
        }
        pass.enter(loopThread);
        CompletableFuture<Void> done = new CompletableFuture<>();
        iterating = iterateNanos >= 0;
        iterateDeadline = iterating ? System.nanoTime() + Math.min(iterateNanos, Long.MAX_VALUE / 4) : 0;
        until = iterating ? () -> passes > 0 && (ioSeen || System.nanoTime() - iterateDeadline >= 0) : runUntil;
        startup = fireStartup;
        passes = 0;
        ioSeen = false;
        ended = done;
        active = true;
        requestPass();
        return done;
    }

    private static void await(CompletableFuture<Void> done) {
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new ReactorNotRunningException("the reactor's loop failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reactor's loop to end", e);
        }
    }

    /** Any thread: asks for a pass. */
    @Override
    public void wakeUp() {
        requestPass();
    }

    /**
     * A {@code callLater}, {@code reset} or {@code delay} made on the loop thread outside the reactor's passes (from
     * a Netty handler) brings the next pass forward when it is due earlier than the armed timer.
     */
    @Override
    public void earliestDeadlineChanged() {
        if (active && !inPass && loop.inEventLoop()) {
            requestPass();
        }
    }

    // ---------------------------------------------------------------- the passes

    /**
     * Asks for a pass as soon as possible, after the loop's next poll for I/O. Any thread. Every pass runs from the
     * one Netty timer: a due scheduled task is taken into a batch of tasks only when the batch starts, after the
     * poll, and with one timer at most one pass runs per batch, so a pass always follows a poll, as in the owned
     * loop.
     */
    private void requestPass() {
        if (loop.inEventLoop()) {
            arm(0);
        } else if (wakeQueued.compareAndSet(false, true)) {
            try {
                loop.execute(wake);
            } catch (RejectedExecutionException e) {
                wakeQueued.set(false);
                loopGone(e);
            }
        }
    }

    private void wakeOnLoop() {
        wakeQueued.set(false);
        if (active) {
            arm(0);
        }
    }

    /** One pass, then arranges for the next: after I/O, a wake-up, or the earliest deadline. */
    private void timerFired() {
        timer = null;
        if (!active) {
            return;
        }
        long t;
        inPass = true;
        try {
            watches.applyAll();
            t = onePass();
        } catch (Throwable e) {
            pass.logError("in a pass of the reactor attached to " + loop, e);
            t = 0;
        } finally {
            inPass = false;
        }
        if (t == LOOP_ENDED) {
            active = false;
            cancelTimer();
            ended.complete(null);
            return;
        }
        passes++;
        flushHeld();
        if (!active) {
            return;
        }
        if (iterating) {
            long left = Math.max(0, iterateDeadline - System.nanoTime());
            t = t < 0 ? left : Math.min(t, left);
        }
        if (t >= 0) {
            arm(t);
        }
    }

    /**
     * The callbacks of one pass (the {@code startup} event the first time, if asked); the loop polls for I/O
     * between passes itself.
     *
     * @return how long the loop may wait for the next pass (0, a positive time, or -1 for no limit), the loop being
     *     marked as waiting; or {@link #LOOP_ENDED} when the loop ended in this pass
     */
    private long onePass() {
        pass.endWait();
        if (startup) {
            pass.fireStartupIfDue();
        }
        if (!pass.ended(until)) {
            pass.runCallbacks();
        }
        pass.takeInterrupt();
        if (pass.ended(until)) {
            try {
                pass.releaseIfStopped();
            } finally {
                pass.leave();
            }
            return LOOP_ENDED;
        }
        return pass.beginWait(pass.waitNanos(-1));
    }

    /** Arms the one Netty timer for {@code nanos} from now, unless it is already armed for that or earlier. */
    private void arm(long nanos) {
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        if (timer != null && timerDeadline - deadline <= 0) {
            return;
        }
        cancelTimer();
        timerDeadline = deadline;
        try {
            timer = loop.schedule(timerTask, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            loopGone(e);
        }
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        timer = null;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** The borrowed loop was shut down by its owner (or refused a task) while the reactor ran. Any thread. */
    void loopGone(Throwable cause) {
        CompletableFuture<Void> done = ended;
        if (!active || done == null || done.isDone()) {
            return;
        }
        active = false;
        IllegalStateException e = new IllegalStateException("the Netty event loop " + loop + " that this reactor is"
                + " attached to was shut down by its owner while the reactor was running; its pending delayed calls"
                + " and callFromThread calls will never run", cause);
        NettyReactor.LOGGER.error("{}", e.getMessage(), e);
        done.completeExceptionally(e);
    }

    // ---------------------------------------------------------------- the channels' events

    /** Whether I/O readiness may be dispatched now: while the passes run. Any thread. */
    boolean dispatching() {
        return active;
    }

    /** After I/O was dispatched: a pass runs next, as the owned loop's does after its poll. */
    void dispatched() {
        ioSeen = true;
        requestPass();
    }

    /**
     * Runs an event of one of the reactor's channels at once while the reactor runs, else when it next runs, in
     * the order the events came.
     */
    void onLoop(Runnable event) {
        if (shutDown) {
            runEvent(event);
        } else if (active && passes > 0 && held.isEmpty()) {
            // Not before the first pass of this run: active is set as run()/startRunning() returns control, but
            // the startup event fires in that first pass; an event that comes in between waits for it (flushHeld).
            // (Read active first: it is volatile, and start resets passes before setting it.)
            runEvent(event);
            dispatched();
        } else {
            held.add(event);
            if (active) {
                requestPass();
            }
        }
    }

    private void flushHeld() {
        boolean ran = false;
        for (Runnable e; active && (e = held.poll()) != null; ) {
            runEvent(e);
            ran = true;
        }
        if (ran && active) {
            dispatched();
        }
    }

    /**
     * Runs one event; the first after a pass ends the loop's wait for the blocked-loop detector, which counts the
     * loop busy from there to the next pass ({@link #dispatched()} brings that pass forward).
     */
    private void runEvent(Runnable event) {
        pass.ioReady();
        try {
            event.run();
        } catch (Throwable t) {
            pass.logError("in an event of a Netty channel", t);
        }
    }

    /**
     * The reactor shut down: the timer is cancelled, and what came for its channels, closed now, is delivered (each
     * event finds its connection lost or its port stopped); later events run at once.
     */
    void shutDown() {
        cancelTimer();
        shutDown = true;
        for (Runnable e; (e = held.poll()) != null; ) {
            runEvent(e);
        }
    }
}
