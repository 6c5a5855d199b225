package dev.weft.netty;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@link ChannelWatch}es whose Netty registration is to be made or changed on the loop thread, at the start of
 * the next pass (a change made on another thread, or while an attached reactor is not running). Any thread adds;
 * the loop thread applies.
 */
final class ChannelWatchQueue {
    private final ConcurrentLinkedQueue<ChannelWatch> queued = new ConcurrentLinkedQueue<>();

    /** Queues a watch, once. Any thread. */
    void requeue(ChannelWatch w) {
        if (!w.queued) {
            w.queued = true;
            queued.add(w);
        }
    }

    /** Applies every queued watch. Loop thread. */
    void applyAll() {
        for (ChannelWatch w; (w = queued.poll()) != null; ) {
            w.queued = false;
            w.applyOrLog();
        }
    }

    /** Cancels every queued watch, at shutdown. Loop thread. */
    void cancelAll() {
        for (ChannelWatch w; (w = queued.poll()) != null; ) {
            w.queued = false;
            w.cancel();
        }
    }
}
