package dev.weft.defer;

import dev.weft.reactor.internal.Loggers;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Failures left unhandled at the end of a Deferred's chain, logged when the Deferred is garbage-collected.
 *
 * <p>Only a Deferred whose chain currently ends in a failure is tracked, by a small phantom-reference tracker that
 * holds the failure but not the Deferred; adding an errback that handles the failure (or handing the failure on to
 * a Deferred that waits on this one) stops the tracking. When such a Deferred is garbage-collected, the failure is
 * logged at ERROR (through SLF4J, or {@link System.Logger} when SLF4J has no provider), on logger
 * {@code dev.weft.defer.Deferred}, with the message {@code "Unhandled error in Deferred"} and the failure as the
 * throwable; then every listener gets it.
 *
 * <p>The report happens on a daemon thread named {@code weft-unhandled-errors}, some time after the collection, or
 * on the thread that calls {@link #collect(Duration)}. A failure that refers (strongly) to its own Deferred keeps
 * that Deferred alive and is never reported.
 *
 * <p>This class is thread-safe.
 */
public final class UnhandledErrors {
    private static final Logger LOG = Loggers.get(Deferred.class);

    /** Trackers of Deferreds that end in a failure: keeps each tracker reachable until it is reported or released. */
    private static final Set<Tracker> LIVE = ConcurrentHashMap.newKeySet();
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final List<Consumer<? super Throwable>> LISTENERS = new CopyOnWriteArrayList<>();

    private UnhandledErrors() {
    }

    /**
     * Adds a listener that gets every failure reported from now on, after it is logged, on the thread that reports
     * it (the {@code weft-unhandled-errors} daemon thread, or a thread in {@link #collect(Duration)}). An
     * exception the listener throws is logged and otherwise ignored. Meant for tests and for metrics.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public static void addListener(Consumer<? super Throwable> listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        LISTENERS.add(listener);
    }

    /**
     * Removes a listener added with {@link #addListener(Consumer)}; does nothing if it is not there.
     *
     * @param listener the listener
     * @return whether it was there
     */
    public static boolean removeListener(Consumer<? super Throwable> listener) {
        return LISTENERS.remove(listener);
    }

    /**
     * Forces the check, for tests: runs the garbage collector, then reports (logs, and passes to the listeners),
     * on the calling thread, every tracked failure whose Deferred it found unreachable; it repeats until a round
     * finds nothing new (at least two rounds), or until {@code timeout} has passed. It blocks meanwhile.
     *
     * <p>Returns the failures reported while it ran, by this thread or by the daemon thread, in the order they
     * were reported. A Deferred still referenced from a local variable of a caller may stay reachable; create
     * it in another method.
     *
     * @param timeout how long to try at most
     * @return the failures reported during the call
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static List<Throwable> collect(Duration timeout) {
        if (timeout == null) {
            throw new NullPointerException("timeout must not be null");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        List<Throwable> found = Collections.synchronizedList(new ArrayList<>());
        Consumer<Throwable> capture = found::add;
        LISTENERS.add(capture);
        try {
            int quietRounds = 0;
            int rounds = 0;
            while (quietRounds < 2 && (rounds == 0 || System.nanoTime() - deadline < 0)) {
                rounds++;
                int before = found.size();
                System.gc();
                for (Tracker t : LIVE) {
                    if (t.refersTo(null)) {
                        t.report();
                    }
                }
                quietRounds = found.size() == before ? quietRounds + 1 : 0;
            }
        } finally {
            LISTENERS.remove(capture);
        }
        synchronized (found) {
            return List.copyOf(found);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Starts tracking {@code failure} at the end of {@code deferred}'s chain. */
    static Tracker track(Deferred<?> deferred, Throwable failure) {
        Tracker t = new Tracker(deferred, failure);
        LIVE.add(t);
        Reaper.ensureStarted();
        return t;
    }

    /**
     * Tracks one failure at the end of one Deferred's chain. Refers to the Deferred only phantomly, so it does not
     * keep it alive.
     */
    static final class Tracker extends PhantomReference<Object> {
        private final Throwable failure;
        /** Guarded by this: reported or released, the tracker is done. */
        private boolean done;

        Tracker(Deferred<?> deferred, Throwable failure) {
            super(deferred, QUEUE);
            this.failure = failure;
        }

        Throwable failure() {
            return failure;
        }

        /** The failure was handled (or moved on): never report it. Called by the Deferred's thread. */
        void release() {
            synchronized (this) {
                done = true;
            }
            LIVE.remove(this);
            clear();
        }

        /** The Deferred is gone: report the failure, unless it was released or reported already. */
        void report() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                try {
                    LOG.error("Unhandled error in Deferred", failure);
                } catch (RuntimeException e) {
                    // A broken logging backend must not kill the reaper.
                }
                for (Consumer<? super Throwable> listener : LISTENERS) {
                    try {
                        listener.accept(failure);
                    } catch (RuntimeException e) {
                        LOG.warn("UnhandledErrors listener {} failed", listener, e);
                    }
                }
                LIVE.remove(this);
            }
        }
    }

    /** The daemon thread that reports failures of collected Deferreds. */
    private static final class Reaper {
        static {
            Thread thread = new Thread(Reaper::loop, "weft-unhandled-errors");
            thread.setDaemon(true);
            thread.start();
        }

        private Reaper() {
        }

        static void ensureStarted() {
            // Loading this class starts the thread, once.
        }

        private static void loop() {
            while (true) {
                try {
                    Reference<?> ref = QUEUE.remove();
                    if (ref instanceof Tracker) {
                        ((Tracker) ref).report();
                    }
                } catch (InterruptedException e) {
                    // Nobody should interrupt this thread; keep serving.
                } catch (Throwable t) {
                    LOG.warn("Failed to report an unhandled error in a Deferred", t);
                }
            }
        }
    }
}
