package dev.weft.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How a reactor on a native loop (epoll, io_uring) watches the channels of {@code addReader}/{@code addWriter}: the
 * JDK hides a {@code SelectableChannel}'s file descriptor, which a native loop would need, so JDK selectors do it,
 * and no {@code --add-exports} is needed.
 *
 * <ul>
 * <li>The <b>loop selector</b>, used on the reactor thread only, says what is ready: each poll of an owned loop
 * ({@link #readyNow()}, {@link #dispatchReady()}) selects it without waiting and dispatches the ready channels, once
 * per pass, level-triggered as on an NIO loop.</li>
 * <li>The <b>helper thread</b> ({@code weft-watch-N}, a daemon) waits on a second selector only while the loop waits
 * ({@link #arm()}): the first readiness disarms it (no interest, so it does not spin) and wakes the loop. It starts
 * with the first watch, ends by itself once nothing is watched (after {@code removeAll()}, say), and for good at the
 * reactor's shutdown ({@link #close()}).</li>
 * </ul>
 * An attached reactor does not drive its loop's wait: there the helper stays armed while the reactor runs, and each
 * readiness it sees runs a dispatch as a task of the loop, which arms it again.
 */
final class WatchSelector implements QueuedWatch {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    /** The helper's arming, set by the loop ({@code REQUESTED}) and the helper ({@code ARMED}, {@code IDLE}). */
    private enum Arming {
        /** Disarmed: the loop does not wait, or was woken already. */
        IDLE,
        /** The loop is about to wait: the helper is to arm its keys. */
        REQUESTED,
        /** The helper's keys are armed; the first readiness wakes the loop. */
        ARMED
    }

    /** Whether watches may start the helper. */
    private enum State {
        OPEN,
        CLOSED
    }

    private final NettyReactor reactor;
    private final ConcurrentLinkedQueue<SelectorWatch> updates = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Arming> arming = new AtomicReference<>(Arming.IDLE);
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the running helper's selector and thread, null when none runs. */
    private Selector helperSelector;
    private Thread thread;
    private volatile State state = State.OPEN;
    /** Reactor thread: the loop selector, opened with the first watch. */
    private Selector loopSelector;
    /** Reactor thread: keys of the loop selector no longer wanted, cancelled at the next select. */
    private final List<SelectionKey> retiredLoopKeys = new ArrayList<>();
    private boolean queued;
    private final Runnable attachedDispatch = this::attachedDispatch;

    WatchSelector(NettyReactor reactor) {
        this.reactor = reactor;
    }

    /**
     * Starts, changes or ends the watch of {@code w} after {@link SelectorWatch#want()}: on the loop selector now,
     * on the helper's through its thread (started if none runs). Reactor thread, or before the reactor runs.
     *
     * @param w the watch
     */
    void apply(SelectorWatch w) {
        if (state == State.CLOSED) {
            return;
        }
        if (loopSelector == null) {
            if (!w.isWanted()) {
                return;
            }
            try {
                loopSelector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector to watch channels on " + reactor.transport(), e);
            }
        }
        w.applyOnLoop(loopSelector, retiredLoopKeys);
        synchronized (lock) {
            updates.add(w);
            if (thread == null) {
                start();
            } else {
                helperSelector.wakeup();
            }
        }
        if (reactor.isAttached()) {
            arm();
        }
    }

    /** Whether any channel may be watched. Reactor thread. */
    boolean hasWatches() {
        return loopSelector != null && !loopSelector.keys().isEmpty();
    }

    /**
     * Whether a watched channel is ready now, found by a select that does not wait; the ready keys are dispatched by
     * the next {@link #dispatchReady()}. Reactor thread.
     *
     * @return true if the loop must not wait
     */
    boolean readyNow() {
        try {
            SelectorWatch.cancelRetired(retiredLoopKeys);
            return loopSelector.selectNow() > 0 || !loopSelector.selectedKeys().isEmpty();
        } catch (IOException e) {
            reactor.log("while selecting the channels of addReader/addWriter", e);
            return false;
        }
    }

    /**
     * Runs the readers and writers of the ready channels, each once. Reactor thread.
     *
     * @return whether any ran
     */
    boolean dispatchReady() {
        Selector s = loopSelector;
        if (s == null) {
            return false;
        }
        try {
            SelectorWatch.cancelRetired(retiredLoopKeys);
            s.selectNow();
        } catch (IOException e) {
            reactor.log("while selecting the channels of addReader/addWriter", e);
            return false;
        }
        boolean any = false;
        Iterator<SelectionKey> it = s.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            int ops;
            try {
                ops = k.readyOps();
            } catch (CancelledKeyException e) {
                continue;
            }
            SelectorWatch w = (SelectorWatch) k.attachment();
            if (w.isWanted()) {
                w.dispatch(ops);
                any = true;
            }
        }
        return any;
    }

    /** The loop is about to wait: the helper wakes it at the first readiness. Any thread. */
    void arm() {
        if (arming.compareAndSet(Arming.IDLE, Arming.REQUESTED)) {
            synchronized (lock) {
                if (helperSelector != null) {
                    helperSelector.wakeup();
                }
            }
        }
    }

    /** An attached reactor: dispatches what is ready, as a task of the loop, then arms the helper again. */
    private void attachedDispatch() {
        if (state == State.CLOSED) {
            return;
        }
        if (!reactor.dispatching()) {
            // Not running: armed again at its next pass (QueuedWatch.applyOrLog), and dispatched then.
            reactor.watchQueue().requeue(this);
            return;
        }
        if (dispatchReady()) {
            reactor.dispatched();
        }
        arm();
    }

    private void start() {
        Selector s;
        try {
            s = Selector.open();
        } catch (IOException e) {
            updates.clear();
            throw new UncheckedIOException("cannot open a selector to watch channels on " + reactor.transport(), e);
        }
        Thread t = new Thread(() -> run(s), "weft-watch-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        helperSelector = s;
        thread = t;
        t.start();
    }

    /** The helper thread. */
    private void run(Selector s) {
        boolean armed = false;
        List<SelectionKey> retired = new ArrayList<>();
        try {
            while (state == State.OPEN) {
                for (SelectorWatch w; (w = updates.poll()) != null; ) {
                    w.applyOnHelper(s, armed, retired);
                }
                boolean cancelled = SelectorWatch.cancelRetired(retired);
                if (!armed && arming.compareAndSet(Arming.REQUESTED, Arming.ARMED)) {
                    armed = true;
                    armAll(s, true);
                }
                if (cancelled) {
                    s.selectNow();
                }
                if (s.keys().isEmpty()) {
                    synchronized (lock) {
                        if (updates.isEmpty()) {
                            // Decided under the lock: a watch added from now on starts a new thread.
                            helperSelector = null;
                            thread = null;
                            break;
                        }
                    }
                    continue;
                }
                if (!s.selectedKeys().isEmpty() || s.select() > 0) {
                    s.selectedKeys().clear();
                    if (armed) {
                        armed = false;
                        armAll(s, false);
                        arming.set(Arming.IDLE);
                        wakeLoop();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (state == State.OPEN) {
                reactor.log("in the thread that watches channels for addReader/addWriter", e);
            }
        } finally {
            synchronized (lock) {
                if (helperSelector == s) {
                    helperSelector = null;
                    thread = null;
                }
            }
            arming.compareAndSet(Arming.ARMED, Arming.IDLE);
            try {
                s.close();
            } catch (IOException e) {
                // deregisters the channels only: nothing of the user's is lost
            }
        }
    }

    private static void armAll(Selector s, boolean armed) {
        for (SelectionKey k : s.keys()) {
            if (k.isValid()) {
                ((SelectorWatch) k.attachment()).armOnHelper(armed);
            }
        }
    }

    /** Helper thread: wakes an owned loop's wait, or has an attached loop dispatch. */
    private void wakeLoop() {
        try {
            if (reactor.isAttached()) {
                reactor.eventLoop().execute(attachedDispatch);
            } else {
                reactor.wakeLoop();
            }
        } catch (RejectedExecutionException e) {
            // The loop is shut down: nothing is watched any more.
        }
    }

    @Override
    public boolean isQueued() {
        return queued;
    }

    @Override
    public void setQueued(boolean queued) {
        this.queued = queued;
    }

    /** An attached reactor runs again: arms the helper, which dispatches what is ready. Loop thread. */
    @Override
    public void applyOrLog() {
        if (state == State.OPEN && hasWatches()) {
            arm();
        }
    }

    /** Nothing: {@link #close()} ends the watches. */
    @Override
    public void cancel() {
    }

    /**
     * Ends the watches for good, at the reactor's shutdown, and waits (at most 5 s) for the helper thread to end. The
     * channels are deregistered, never closed. Reactor thread.
     */
    void close() {
        Thread t;
        synchronized (lock) {
            state = State.CLOSED;
            updates.clear();
            t = thread;
            if (helperSelector != null) {
                helperSelector.wakeup();
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Selector s = loopSelector;
        loopSelector = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // deregisters the channels only
            }
        }
    }
}
