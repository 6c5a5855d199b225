package dev.weft.untwisted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import org.junit.jupiter.api.Test;

/** The write queue against a socket that takes a bounded number of bytes per call. */
final class WriteQueueTest {

    /** Takes at most {@code budget} bytes in all, and records the largest offer. */
    static final class LimitedChannel implements GatheringByteChannel {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        long budget;
        long largestOffer;
        int calls;

        LimitedChannel(long budget) {
            this.budget = budget;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            long offer = 0;
            for (int i = offset; i < offset + length; i++) {
                offer += srcs[i].remaining();
            }
            largestOffer = Math.max(largestOffer, offer);
            long written = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                ByteBuffer b = srcs[i];
                int n = (int) Math.min(b.remaining(), budget);
                byte[] out = new byte[n];
                b.get(out);
                taken.write(out, 0, n);
                budget -= n;
                written += n;
            }
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    @Test
    void partialWritesKeepOrderAndAnExactCount() throws Exception {
        WriteQueue q = new WriteQueue();
        byte[] a = bytes(10, 1);
        byte[] b = bytes(20, 50);
        byte[] c = bytes(5, 100);
        q.add(a);
        q.add(b);
        q.add(c);
        assertEquals(35, q.size());
        LimitedChannel ch = new LimitedChannel(17);
        assertFalse(q.writeTo(ch, new ByteBuffer[64]));
        assertEquals(18, q.size());
        ch.budget = 1000;
        assertTrue(q.writeTo(ch, new ByteBuffer[64]));
        assertTrue(q.isEmpty());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(a);
        all.write(b);
        all.write(c);
        assertArrayEquals(all.toByteArray(), ch.taken.toByteArray());
    }

    @Test
    void oneWriteOffersAtMostTheCapAndManyChunksGoInFewCalls() throws Exception {
        WriteQueue q = new WriteQueue();
        byte[] big = bytes(3 * WriteQueue.MAX_BYTES_PER_WRITE + 3, 7);
        q.add(big);
        for (int i = 0; i < 200; i++) {
            q.add(bytes(3, i));
        }
        LimitedChannel ch = new LimitedChannel(Long.MAX_VALUE);
        ByteBuffer[] scratch = new ByteBuffer[64];
        assertTrue(q.writeTo(ch, scratch));
        assertEquals(WriteQueue.MAX_BYTES_PER_WRITE, ch.largestOffer);
        assertTrue(ch.calls <= 4 + 200 / 64 + 1, "calls: " + ch.calls);
        assertEquals(big.length + 600, ch.taken.size());
        for (ByteBuffer b : scratch) {
            assertEquals(null, b, "the scratch array is left clean");
        }
    }
}
