package dev.weft.protocol.basic;

import java.util.Arrays;

/**
 * A growable window of bytes for the framing receivers: append at the end, take from the front, without copying the
 * whole content on every call. Growth doubles up to a soft cap, then grows only by what is needed, so the capacity
 * stays close to what the receiver allows itself to hold. Not thread-safe.
 */
final class ByteAccumulator {

    private static final byte[] EMPTY = new byte[0];
    private static final int KEEP_CAPACITY = 8192;

    private byte[] buf = EMPTY;
    private int start;
    private int end;

    int size() {
        return end - start;
    }

    int capacity() {
        return buf.length;
    }

    /** Appends {@code len} bytes of {@code src} from {@code off}; capacity grows at most to {@code softCap}. */
    void append(byte[] src, int off, int len, int softCap) {
        if (len == 0) {
            return;
        }
        if (buf.length - end < len) {
            int size = size();
            long needed = (long) size + len;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("buffer would exceed the largest array");
            }
            if (needed <= buf.length) {
                System.arraycopy(buf, start, buf, 0, size);
            } else {
                long doubled = Math.max(64L, 2L * buf.length);
                int capacity = (int) Math.max(needed, Math.min(doubled, Math.max(softCap, 0)));
                byte[] bigger = new byte[capacity];
                System.arraycopy(buf, start, bigger, 0, size);
                buf = bigger;
            }
            start = 0;
            end = size;
        }
        System.arraycopy(src, off, buf, end, len);
        end += len;
    }

    byte get(int index) {
        return buf[start + index];
    }

    /** The index, relative to the front, of the first occurrence of {@code pattern} at or after {@code from}. */
    int indexOf(byte[] pattern, int from) {
        int last = end - pattern.length;
        byte first = pattern[0];
        outer:
        for (int i = start + Math.max(0, from); i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /** Removes and returns the first {@code n} bytes. */
    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        skip(n);
        return out;
    }

    /** Removes the first {@code n} bytes. */
    void skip(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    /** Removes and returns everything. */
    byte[] takeAll() {
        return take(size());
    }

    /** Empties the buffer and gives back a large array. */
    void clear() {
        start = 0;
        end = 0;
        trim();
    }

    /** Copies {@code len} bytes from {@code index} (relative to the front) into {@code dst} at {@code off}. */
    void copyTo(int index, byte[] dst, int off, int len) {
        System.arraycopy(buf, start + index, dst, off, len);
    }

    /**
     * Gives back an array larger than {@code keep} bytes: the content moves to an array of its own size. Keeps the
     * memory held between two reads within the receiver's bound, whatever the size of the last read.
     */
    void shrink(int keep) {
        int size = size();
        if (buf.length > Math.max(keep, size)) {
            buf = size == 0 ? EMPTY : Arrays.copyOfRange(buf, start, end);
            start = 0;
            end = size;
        }
    }

    /** Gives back a large array when the buffer is empty. */
    void trim() {
        if (start == end && buf.length > KEEP_CAPACITY) {
            buf = EMPTY;
            start = 0;
            end = 0;
        }
    }
}
