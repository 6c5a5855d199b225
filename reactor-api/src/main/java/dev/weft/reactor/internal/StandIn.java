package dev.weft.reactor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The thread a coroutine body stands in for: a body running on a thread's behalf has that thread's identity. While a
 * body runs, the thread it runs on behalf of (its driver) waits in a strict hand-off, and the reactor's thread checks
 * treat the body's thread as that one. Set only by {@code dev.weft.defer}'s coroutine machinery; read by the
 * reactor's notion of "the reactor thread", by backends whose I/O layer decides by thread identity (Netty), which
 * hand their calls to the driver with {@link #runByActingThread(Runnable)}, and by the blocked-loop detector, which
 * reports the stack of the body a blocked thread waits for ({@link #runningFor(Thread)}). Any thread.
 */
public final class StandIn {
    private static final ThreadLocal<Body> CURRENT = new ThreadLocal<>();
    /** Driver thread to the body thread running on its behalf now. */
    private static final ConcurrentHashMap<Thread, Thread> RUNNING = new ConcurrentHashMap<>();
    /** Acting thread to the bodies suspended on its behalf. */
    private static final ConcurrentHashMap<Thread, Set<Body>> SUSPENDED = new ConcurrentHashMap<>();

    private StandIn() {
    }

    /** A running coroutine body, as the code it calls sees it. Implemented by {@code dev.weft.defer} only. */
    public interface Body {
        /**
         * The thread this body acts as: the thread it runs on behalf of, or what that thread itself stands in for.
         * On the body's thread.
         *
         * @return the acting thread
         */
        Thread actingThread();

        /**
         * Runs {@code op} on the driver (the waiting thread the body runs on behalf of) and returns once it has run,
         * with the body waiting meanwhile; an exception {@code op} throws is thrown here. On the body's thread.
         *
         * @param op what to run
         */
        void runOnDriver(Runnable op);

        /**
         * Queues {@code op} to run on the driver, in order, before the body next hands over: when it suspends or
         * ends, or before the next {@link #runOnDriver(Runnable)}, whichever comes first (at once if the body runs
         * on the driver's thread itself). The body goes on meanwhile, so an operation queued here must report
         * nothing back; what it throws is thrown on the driver, or by the body's next {@code runOnDriver}. On the
         * body's thread.
         *
         * @param op what to run
         */
        void queueOnDriver(Runnable op);

        /** Cancels the Deferred this suspended body awaits. On the thread it was suspended on behalf of. */
        void cancelAwaited();
    }

    /**
     * The thread the calling thread acts as: the thread a running coroutine body stands in for, else the calling
     * thread itself.
     *
     * @return the acting thread, never null
     */
    public static Thread actingThread() {
        Body b = CURRENT.get();
        return b != null ? b.actingThread() : Thread.currentThread();
    }

    /**
     * Whether the calling thread is, or is a coroutine body standing in for, {@code thread}.
     *
     * @param thread the thread to compare with (null gives false)
     * @return true if the calling thread acts as {@code thread}
     */
    public static boolean actsAs(Thread thread) {
        return thread != null && actingThread() == thread;
    }

    /**
     * Runs {@code op} on the thread the calling coroutine body runs on behalf of, while the body waits, and returns
     * once it has run (an exception it throws is thrown here); on any other thread, runs it at once. For a backend
     * whose I/O layer checks thread identity: the acting thread then calls it, in the body's program order. A driver
     * that is itself a body hands {@code op} on to its own driver, so it runs on the acting thread itself.
     *
     * @param op what to run
     */
    public static void runByActingThread(Runnable op) {
        Body b = CURRENT.get();
        if (b == null) {
            op.run();
        } else {
            b.runOnDriver(() -> runByActingThread(op)); // a driver that is a body itself hands it on
        }
    }

    /**
     * Runs {@code op} on the thread the calling coroutine body runs on behalf of, in the body's program order, but
     * without waiting for it: it runs when the body next hands over (suspends, ends, or calls
     * {@link #runByActingThread(Runnable)}), so that a body's writes cost no hand-off each; on any other thread, runs
     * it at once. For an operation that reports nothing back (a write); a driver that is itself a body queues it on
     * in turn.
     *
     * @param op what to run
     */
    public static void queueByActingThread(Runnable op) {
        Body b = CURRENT.get();
        if (b == null) {
            op.run();
        } else {
            b.queueOnDriver(() -> queueByActingThread(op)); // a driver that is a body itself queues it on
        }
    }

    /**
     * {@link #runByActingThread(Runnable)} for an operation with a result or a checked exception: its result is
     * returned, and what it throws is thrown here as itself.
     *
     * @param op  what to run
     * @param <T> the result type
     * @param <E> the checked exception {@code op} may throw
     * @return what {@code op} returned
     * @throws E what {@code op} threw
     */
    @SuppressWarnings("unchecked")
    public static <T, E extends Exception> T callByActingThread(Action<T, E> op) throws E {
        Body b = CURRENT.get();
        if (b == null) {
            return op.run();
        }
        Object[] result = new Object[1];
        runByActingThread(() -> {
            try {
                result[0] = op.run();
            } catch (Exception e) {
                throw StandIn.<RuntimeException>sneaky(e);
            }
        });
        return (T) result[0];
    }

    /**
     * An operation {@link #callByActingThread(Action)} runs.
     *
     * @param <T> its result type
     * @param <E> the checked exception it may throw
     */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        /**
         * Runs the operation. On the thread it is handed to.
         *
         * @return its result
         * @throws E its failure
         */
        T run() throws E;
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }

    /**
     * The thread doing the work of {@code thread} now: the coroutine body it waits for (following bodies that wait
     * for bodies in turn), else {@code thread} itself. Any thread.
     *
     * @param thread a thread, perhaps waiting for a body
     * @return the thread that runs on its behalf, never null
     */
    public static Thread runningFor(Thread thread) {
        Thread t = thread;
        for (int i = 0; i < 10_000; i++) { // bounded: a chain of bodies can only be as long as the threads alive
            Thread next = RUNNING.get(t);
            if (next == null) {
                return t;
            }
            t = next;
        }
        return t;
    }

    /**
     * The calling thread is the coroutine body {@code body} now (null: no longer). Called by {@code dev.weft.defer}
     * only, on the coroutine's thread, each time it takes over.
     *
     * @param body the body running on this thread, or null
     */
    public static void enter(Body body) {
        if (body == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(body);
        }
    }

    /**
     * {@code driver} waits while {@code body} runs on its behalf (null: it runs again itself). Called by
     * {@code dev.weft.defer} only, on the driver's thread.
     *
     * @param driver the waiting thread
     * @param body   the body's thread, or null
     */
    public static void handedTo(Thread driver, Thread body) {
        if (body == null) {
            RUNNING.remove(driver);
        } else {
            RUNNING.put(driver, body);
        }
    }

    /**
     * {@code body} awaits a Deferred that has not fired, suspended on behalf of {@code acting}. Called by
     * {@code dev.weft.defer} only, on the body's thread.
     *
     * @param body   the body
     * @param acting the thread it acted as
     */
    public static void suspended(Body body, Thread acting) {
        SUSPENDED.computeIfAbsent(acting, t -> ConcurrentHashMap.newKeySet()).add(body);
    }

    /**
     * {@code body}, suspended on behalf of {@code acting}, is resumed. Called by {@code dev.weft.defer} only, on the
     * resuming thread.
     *
     * @param body   the body
     * @param acting the thread it was suspended on behalf of
     */
    public static void resumed(Body body, Thread acting) {
        SUSPENDED.computeIfPresent(acting, (t, bodies) -> {
            bodies.remove(body);
            return bodies.isEmpty() ? null : bodies;
        });
    }

    /**
     * Cancels what every body suspended on the calling thread's behalf awaits: each gets a
     * {@code CancelledException} at its {@code await()} (a body that catches it and awaits again is suspended
     * anew and left). A reactor calls it when its shutdown has completed, so that no body waits for a loop that
     * has stopped. On the thread the bodies were suspended on behalf of.
     *
     * @return how many bodies were cancelled
     */
    public static int cancelSuspended() {
        Set<Body> bodies = SUSPENDED.remove(Thread.currentThread());
        if (bodies == null) {
            return 0;
        }
        List<Body> snapshot = new ArrayList<>(bodies);
        for (Body b : snapshot) {
            b.cancelAwaited();
        }
        return snapshot.size();
    }
}
