package dev.weft.netty;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The watches ({@link ChannelWatch}, {@link SelectorWatch}) whose registration is to be made or changed on the loop thread, at the start of
 * the next pass (a change made on another thread, or while an attached reactor is not running). Any thread adds;
 * the loop thread applies.
 */
final class ChannelWatchQueue {
    private final ConcurrentLinkedQueue<QueuedWatch> queued = new ConcurrentLinkedQueue<>();

    /** Queues a watch, once. Any thread. */
    void requeue(QueuedWatch w) {
        if (!w.isQueued()) {
            w.setQueued(true);
            queued.add(w);
        }
    }

    /** Applies every queued watch. Loop thread. */
    void applyAll() {
        for (QueuedWatch w; (w = queued.poll()) != null; ) {
            w.setQueued(false);
            w.applyOrLog();
        }
    }

    /** Cancels every queued watch, at shutdown. Loop thread. */
    void cancelAll() {
        for (QueuedWatch w; (w = queued.poll()) != null; ) {
            w.setQueued(false);
            w.cancel();
        }
    }
}
