package dev.weft.reactor.internal;

/**
 * The thread a coroutine body stands in for: a body running on a thread's behalf has that thread's identity. While a
 * body runs, the thread it runs on behalf of waits (a strict hand-off), and the reactor's thread checks treat the
 * body's thread as that one. Set only by {@code dev.weft.defer}'s coroutine machinery; read by the reactor's notion of "the reactor
 * thread". Any thread.
 */
public final class StandIn {
    private static final ThreadLocal<Thread> FOR = new ThreadLocal<>();

    private StandIn() {
    }

    /**
     * The thread the calling thread acts as: the thread a running coroutine body stands in for, else the calling
     * thread itself.
     *
     * @return the acting thread, never null
     */
    public static Thread actingThread() {
        Thread t = FOR.get();
        return t != null ? t : Thread.currentThread();
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
     * Records the thread the calling coroutine thread now stands in for. Called by {@code dev.weft.defer} only, on
     * the coroutine's thread, each time it takes over.
     *
     * @param thread the thread stood in for (null: none)
     */
    public static void set(Thread thread) {
        if (thread == null) {
            FOR.remove();
        } else {
            FOR.set(thread);
        }
    }
}
