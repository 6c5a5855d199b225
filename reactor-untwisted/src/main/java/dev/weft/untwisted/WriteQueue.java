package dev.weft.untwisted;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * The bytes a connection still has to write, in order, and their exact count. {@link #writeTo} hands the socket as
 * many queued chunks as fit in one gathering write, and goes on while the socket takes everything.
 *
 * <p>Used on the reactor thread only.
 */
final class WriteQueue {

    /** The most bytes offered to one write call. */
    static final int MAX_BYTES_PER_WRITE = 1024 * 1024;

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
     * Writes without blocking until the queue is empty or the socket takes no more. One write offers at most
     * {@link #MAX_BYTES_PER_WRITE}: the JDK copies heap buffers into temporary direct buffers of the size offered
     * (and keeps them per thread), so offering a whole 10 MiB array would cost a 10 MiB direct buffer.
     *
     * @param channel the non-blocking channel
     * @param scratch an array to gather chunks into (the reactor's, reused; left holding nulls)
     * @return whether the queue is empty
     * @throws IOException if the write fails
     */
    boolean writeTo(GatheringByteChannel channel, ByteBuffer[] scratch) throws IOException {
        while (!chunks.isEmpty()) {
            int n = 0;
            long offered = 0;
            for (ByteBuffer b : chunks) {
                if (n == scratch.length || offered == MAX_BYTES_PER_WRITE) {
                    break;
                }
                int take = (int) Math.min(b.remaining(), MAX_BYTES_PER_WRITE - offered);
                // A chunk is a wrapped array: its limit is its capacity, restored after the write.
                b.limit(b.position() + take);
                scratch[n++] = b;
                offered += take;
            }
            long written;
            try {
                written = n == 1 ? channel.write(scratch[0]) : channel.write(scratch, 0, n);
            } finally {
                for (int i = 0; i < n; i++) {
                    scratch[i].limit(scratch[i].capacity());
                    scratch[i] = null;
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
