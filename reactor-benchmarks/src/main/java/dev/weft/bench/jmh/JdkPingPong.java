package dev.weft.bench.jmh;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor of any strict hand-off between two threads, with no Weft code: the calling thread and a partner thread
 * pass a turn back and forth with {@code LockSupport.park}/{@code unpark}, each waiting while the other runs (target
 * {@code jdk-pingpong}). The partner is of the kind a Weft coroutine body gets: a virtual thread on JDK 21+, a
 * platform thread on 17. One round trip is two passes, as in a coroutine's suspend and resume.
 */
final class JdkPingPong implements RoundTrips {

    /** The target name. */
    static final String TARGET = "jdk-pingpong";

    private static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(30);

    private volatile Thread turn;

    @Override
    public int run(int n) {
        Thread driver = Thread.currentThread();
        Thread[] partner = new Thread[1];
        int[] passes = {0};
        partner[0] = newThread(() -> {
            Thread me = partner[0];
            waitForTurn(me);
            for (int i = 0; i < n - 1; i++) {
                passes[0]++;
                pass(driver);
                waitForTurn(me);
            }
            passes[0]++;
            pass(driver);
        });
        turn = driver;
        partner[0].start();
        for (int i = 0; i < n; i++) {
            pass(partner[0]);
            waitForTurn(driver);
        }
        if (passes[0] != n) {
            throw new IllegalStateException("the partner passed " + passes[0] + " times of " + n);
        }
        return n;
    }

    private void pass(Thread to) {
        turn = to;
        LockSupport.unpark(to);
    }

    private void waitForTurn(Thread me) {
        long deadline = System.nanoTime() + HANG_NANOS;
        while (turn != me) {
            LockSupport.parkNanos(this, HANG_NANOS);
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("waited 30 s for a ping-pong turn");
            }
        }
    }

    /** A virtual thread on JDK 21+ (found by reflection: this module compiles for 17), a platform thread before. */
    private static Thread newThread(Runnable r) {
        if (Runtime.version().feature() >= 21) {
            try {
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Method unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
                return (Thread) unstarted.invoke(builder, r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no virtual threads on JDK " + Runtime.version(), e);
            }
        }
        Thread t = new Thread(r, "jdk-pingpong");
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        turn = null;
    }

    @Override
    public String toString() {
        return TARGET;
    }
}
