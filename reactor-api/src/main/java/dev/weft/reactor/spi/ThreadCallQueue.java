package dev.weft.reactor.spi;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code callFromThread} queue: many producers, the reactor thread consumes. Each pass runs a snapshot: calls
 * added while it runs wait for the next pass.
 */
final class ThreadCallQueue {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    void add(Runnable f) {
        queue.add(f);
        count.incrementAndGet();
    }

    boolean isEmpty() {
        return count.get() == 0;
    }

    /** Takes at most the number of calls present when the pass started; returns how many it ran. */
    int runSnapshot(java.util.function.Consumer<Runnable> runner) {
        int n = count.get();
        for (int i = 0; i < n; i++) {
            Runnable f = queue.poll();
            count.decrementAndGet();
            runner.accept(f);
        }
        return n;
    }
}
