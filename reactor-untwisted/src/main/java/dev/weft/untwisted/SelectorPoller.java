package dev.weft.untwisted;

import dev.weft.reactor.internal.Loggers;
import dev.weft.reactor.spi.IoPoller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The untwisted wait for I/O: {@link Selector#select(long)} up to the next deadline (in whole milliseconds; a
 * deadline less than a millisecond away is polled with {@link Selector#selectNow()}), then every selected key
 * dispatched to its {@link Selectable}, the one path of connections, ports, connection attempts and watched
 * descriptors alike; the wait is over for the blocked-loop detector once keys are selected, before the first is
 * dispatched. Registrations that met a cancelled key wait here for the next select. Reactor thread, but
 * {@link #wakeUp()} from any thread.
 */
final class SelectorPoller implements IoPoller {
    private static final Logger LOG = Loggers.get("dev.weft.reactor");
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Selector selector;
    private final List<Runnable> deferredRegistrations = new ArrayList<>();
    private SelectionKey[] readyKeys = new SelectionKey[64];

    /** Tells the loop its wait is over, before the first selected key is dispatched; set once, before the loop runs. */
    private Runnable ioReady = () -> { };

    /** Set by {@link #wakeUp()}; cleared by {@link #poll(long)} once its select has returned. */
    private volatile boolean woken;

    private SelectorPoller(Selector selector) {
        this.selector = selector;
    }

    /**
     * Opens the selector.
     *
     * @return the poller
     * @throws UncheckedIOException if the selector cannot be opened
     */
    static SelectorPoller open() {
        try {
            return new SelectorPoller(Selector.open());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector", e);
        }
    }

    Selector selector() {
        return selector;
    }

    /**
     * Has each poll that found ready keys call {@code hook} before it dispatches them (the reactor's
     * {@code ioReady}: the blocked-loop detector counts the dispatch as busy). Before the loop runs.
     */
    void onIoReady(Runnable hook) {
        this.ioReady = Objects.requireNonNull(hook, "hook");
    }

    /** Registers a channel whose cancelled key is not flushed yet, after the next select. */
    void deferRegistration(Runnable registration) {
        deferredRegistrations.add(registration);
    }

    /** {@code Selector.select(long)} waits in whole milliseconds. */
    @Override
    public long waitGranularityNanos() {
        return NANOS_PER_MILLI;
    }

    @Override
    public void poll(long timeoutNanos) throws IOException {
        if (!deferredRegistrations.isEmpty()) {
            selector.selectNow();
            List<Runnable> again = new ArrayList<>(deferredRegistrations);
            deferredRegistrations.clear();
            again.forEach(Runnable::run);
            // That selectNow() may have consumed a wakeup() meant for this pass: do not block in it.
            timeoutNanos = 0;
        }
        if (!selector.selectedKeys().isEmpty()) {
            // Keys selected by a flush (flushCancelledKeys) since the last dispatch are waiting.
            timeoutNanos = 0;
        }
        if (timeoutNanos < 0 || timeoutNanos >= NANOS_PER_MILLI) {
            // Ready channels first, without blocking: under load there usually are some, and a select that may
            // block costs more than one that may not (on a virtual thread, the JDK lends the scheduler another
            // carrier for the time of each blocking select). Only with none ready, and no wake-up since the last
            // poll (which the selectNow may have consumed), does the loop block. The flag is cleared after the
            // select, never before it: a wake-up between the loop's beginWait and this poll must stop the wait.
            if (selector.selectNow() == 0 && !woken) {
                if (timeoutNanos < 0) {
                    selector.select();
                } else {
                    selector.select(timeoutNanos / NANOS_PER_MILLI);
                }
            }
            woken = false;
        } else {
            selector.selectNow();
        }
        Set<SelectionKey> ready = selector.selectedKeys();
        if (ready.isEmpty()) {
            return;
        }
        // A snapshot: a callback may flush cancelled keys (a select) while we dispatch, which changes the set.
        SelectionKey[] keys = ready.toArray(readyKeys);
        readyKeys = keys;
        int count = ready.size();
        ready.clear();
        ioReady.run();
        for (int i = 0; i < count; i++) {
            SelectionKey key = keys[i];
            keys[i] = null;
            dispatch(key);
        }
    }

    private static void dispatch(SelectionKey key) {
        Selectable target = (Selectable) key.attachment();
        int ops;
        try {
            ops = key.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        try {
            target.ready(ops);
        } catch (Throwable t) {
            logError("in the I/O handler of " + target, t);
        }
    }

    @Override
    public void wakeUp() {
        woken = true; // before the selector's wake-up: a poll that consumed it in its selectNow sees this
        selector.wakeup();
    }

    /**
     * Flushes the cancelled keys, so that the sockets of closed channels are closed now rather than by the next
     * select (a closed listening port releases its port at once). Ready keys it finds wait for the next pass.
     */
    void flushCancelledKeys() {
        if (!selector.isOpen()) {
            return;
        }
        try {
            selector.selectNow();
        } catch (IOException e) {
            logError("while flushing closed channels from the selector", e);
        }
    }

    /** Closes the selector, once the reactor has shut down. */
    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            logError("while closing the selector", e);
        }
    }

    /** Logs as {@code ReactorBase.logError} does, for what happens outside any one reactor callback. */
    private static void logError(String what, Throwable t) {
        LOG.error("Unhandled error {} [reactor {}]", what, UntwistedReactor.NAME, t);
    }
}
