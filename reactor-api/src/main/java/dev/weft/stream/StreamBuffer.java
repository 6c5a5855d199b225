package dev.weft.stream;

import java.util.Arrays;

/** The unread bytes of a {@link StreamReader}: appended at the end, taken from the front. Not thread-safe. */
final class StreamBuffer {
    private byte[] data = new byte[256];
    private int start;
    private int end;

    int size() {
        return end - start;
    }

    void append(byte[] chunk) {
        int n = chunk.length;
        if (end + n > data.length) {
            int size = size();
            if (size + n <= data.length / 2) {
                System.arraycopy(data, start, data, 0, size);
            } else {
                byte[] bigger = new byte[Math.max(data.length * 2, size + n)];
                System.arraycopy(data, start, bigger, 0, size);
                data = bigger;
            }
            start = 0;
            end = size;
        }
        System.arraycopy(chunk, 0, data, end, n);
        end += n;
    }

    /** Removes and returns the first {@code n} bytes; {@code n} must be at most {@link #size()}. */
    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(data, start, start + n);
        skip(n);
        return out;
    }

    /** Removes the first {@code n} bytes; {@code n} must be at most {@link #size()}. */
    void skip(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    void clear() {
        skip(size());
    }

    /** The index (from the front) of the first occurrence of {@code separator} at or after {@code from}, or -1. */
    int indexOf(byte[] separator, int from) {
        int last = end - separator.length;
        outer:
        for (int i = start + Math.max(0, from); i <= last; i++) {
            for (int j = 0; j < separator.length; j++) {
                if (data[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /** Whether {@code separator} occurs at index {@code at} (from the front). */
    boolean startsWithAt(byte[] separator, int at) {
        if (at < 0 || at + separator.length > size()) {
            return false;
        }
        return Arrays.equals(data, start + at, start + at + separator.length, separator, 0, separator.length);
    }
}
