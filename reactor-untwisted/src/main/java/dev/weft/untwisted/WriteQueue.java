package dev.weft.untwisted;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a connection still has to write, in order, and their exact count. {@link #writeTo} hands the socket as
 * many queued chunks as fit in one gathering write, and goes on while the socket takes everything.
 *
 * <p>Used on the reactor thread only.
 */
final class WriteQueue {

    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private long size;

    /**
     * Appends a chunk.
     *
     * @param data the bytes, not empty; kept, not copied
     */
    void add(byte[] data) {
        chunks.add(ByteBuffer.wrap(data));
        size += data.length;
    }

    /**
     * The bytes queued and not written yet.
     *
     * @return the count
     */
    long size() {
        return size;
    }

    /**
     * Whether nothing is queued.
     *
     * @return true if the queue is empty
     */
    boolean isEmpty() {
        return size == 0;
    }

    /** Drops everything queued. */
    void clear() {
        chunks.clear();
        size = 0;
    }

    /**
     * Writes without blocking until the queue is empty or the socket takes no more.
     *
     * @param channel the non-blocking channel
     * @param scratch an array to gather chunks into (the reactor's, reused; left holding nulls)
     * @return whether the queue is empty
     * @throws IOException if the write fails
     */
    boolean writeTo(GatheringByteChannel channel, ByteBuffer[] scratch) throws IOException {
        while (!chunks.isEmpty()) {
            long offered;
            long written;
            if (chunks.size() == 1) {
                ByteBuffer only = chunks.peek();
                offered = only.remaining();
                written = channel.write(only);
            } else {
                int n = 0;
                offered = 0;
                for (ByteBuffer b : chunks) {
                    if (n == scratch.length) {
                        break;
                    }
                    scratch[n++] = b;
                    offered += b.remaining();
                }
                try {
                    written = channel.write(scratch, 0, n);
                } finally {
                    Arrays.fill(scratch, 0, n, null);
                }
            }
            size -= written;
            while (!chunks.isEmpty() && !chunks.peek().hasRemaining()) {
                chunks.poll();
            }
            if (written < offered) {
                return false;
            }
        }
        return true;
    }
}
