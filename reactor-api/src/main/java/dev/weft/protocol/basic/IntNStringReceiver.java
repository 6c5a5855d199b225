package dev.weft.protocol.basic;

import java.util.Objects;

/**
 * The base of the length-prefixed receivers {@link Int8StringReceiver}, {@link Int16StringReceiver} and
 * {@link Int32StringReceiver} (Twisted's {@code IntNStringReceiver}): each string is sent as its length, an unsigned
 * big-endian integer of 1, 2 or 4 bytes, followed by its bytes.
 *
 * <p>Subclass one of the three and implement {@link #stringReceived(byte[])}. A prefix above
 * {@link #getMaxLength()} (default {@value #DEFAULT_MAX_LENGTH}, Twisted's {@code MAX_LENGTH}) calls
 * {@link #lengthLimitExceeded(long)} (default: {@code transport.loseConnection()}) as soon as the prefix is read;
 * that string is never delivered, and no memory is allocated for it: if the connection stays open, its bytes are
 * skipped as they arrive and parsing goes on after it. The receiver never holds more than the prefix plus
 * {@code maxLength} bytes, except while paused.
 *
 * <p>Delivery stops once the transport is disconnecting; what is buffered or arrives later is dropped. Every
 * callback runs on the reactor thread; {@code dataReceived} is final. Not thread-safe.
 */
public abstract class IntNStringReceiver extends PausableFramingReceiver {

    /** The default limit on a string's length, in bytes (Twisted's {@code MAX_LENGTH}). */
    public static final int DEFAULT_MAX_LENGTH = 99999;

    private final int prefixLength;
    private final ByteAccumulator buffer = new ByteAccumulator();
    private long toSkip;
    private boolean busy;

    IntNStringReceiver(int prefixLength) {
        super(DEFAULT_MAX_LENGTH);
        this.prefixLength = prefixLength;
    }

    /**
     * Called on the reactor thread for each complete string, in order. Not called once the transport is
     * disconnecting, nor while paused.
     *
     * @param data the string's bytes; the receiver owns the array
     */
    protected abstract void stringReceived(byte[] data);

    /**
     * Called on the reactor thread when a length prefix exceeds {@link #getMaxLength()}, before any of that string
     * is buffered. The default loses the connection.
     *
     * @param length the length announced by the prefix
     */
    protected void lengthLimitExceeded(long length) {
        if (transport != null) {
            transport.loseConnection();
        }
    }

    /**
     * Parses {@code data} into strings. Called by the transport on the reactor thread; a call made from inside a
     * callback of this receiver queues the data behind what is being parsed.
     *
     * @param data the bytes read
     * @throws NullPointerException if {@code data} is null
     */
    @Override
    public final void dataReceived(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        if (busy) {
            buffer.append(data, 0, data.length, softCap());
            return;
        }
        busy = true;
        try {
            int off = 0;
            do {
                if (disconnecting()) {
                    buffer.clear();
                    return;
                }
                if (paused) {
                    buffer.append(data, off, data.length - off, softCap());
                    return;
                }
                int remaining = data.length - off;
                if (toSkip > 0) {
                    int n = (int) Math.min(toSkip, remaining);
                    toSkip -= n;
                    off += n;
                } else {
                    int n = Math.min(remaining, Math.max(1, needed()));
                    buffer.append(data, off, n, softCap());
                    off += n;
                }
                drain();
            } while (off < data.length);
            if (disconnecting()) {
                buffer.clear();
            } else {
                buffer.trim();
            }
        } finally {
            busy = false;
        }
    }

    /** How many more bytes complete the prefix or the string being read. */
    private int needed() {
        int size = buffer.size();
        if (size < prefixLength) {
            return prefixLength - size;
        }
        long length = readPrefix();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, prefixLength + length - size));
    }

    private void drain() {
        while (!paused) {
            if (disconnecting()) {
                buffer.clear();
                return;
            }
            if (toSkip > 0) {
                int n = (int) Math.min(toSkip, buffer.size());
                buffer.skip(n);
                toSkip -= n;
                if (toSkip > 0) {
                    return;
                }
            }
            if (buffer.size() < prefixLength) {
                return;
            }
            long length = readPrefix();
            if (length > maxLength) {
                buffer.skip(prefixLength);
                toSkip = length;
                lengthLimitExceeded(length);
                continue;
            }
            if (buffer.size() < prefixLength + length) {
                return;
            }
            buffer.skip(prefixLength);
            stringReceived(buffer.take((int) length));
        }
    }

    private long readPrefix() {
        long length = 0;
        for (int i = 0; i < prefixLength; i++) {
            length = (length << 8) | (buffer.get(i) & 0xFF);
        }
        return length;
    }

    /** Bytes held for parsing; for tests of the memory bound. */
    final int bufferedBytes() {
        return buffer.size();
    }

    /** The capacity of the parse buffer; for tests of the memory bound. */
    final int bufferCapacity() {
        return buffer.capacity();
    }

    private boolean disconnecting() {
        return transport != null && transport.isDisconnecting();
    }

    private int softCap() {
        return prefixLength + maxLength;
    }

    /**
     * Writes {@code data} with its length prefix, in one write.
     *
     * @param data the string's bytes
     * @throws NullPointerException    if {@code data} is null
     * @throws StringTooLongException  if {@code data} has {@code 2^(8*prefixLength)} bytes or more
     * @throws IllegalStateException   if there is no transport yet
     */
    public void sendString(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        if (prefixLength < 4 && data.length >= 1L << (8 * prefixLength)) {
            throw new StringTooLongException("a string of " + data.length + " bytes does not fit a "
                    + prefixLength + "-byte prefix (limit " + ((1L << (8 * prefixLength)) - 1) + ")");
        }
        if (transport == null) {
            throw new IllegalStateException("not connected: no transport");
        }
        byte[] out = new byte[prefixLength + data.length];
        int length = data.length;
        for (int i = prefixLength - 1; i >= 0; i--) {
            out[i] = (byte) length;
            length >>>= 8;
        }
        System.arraycopy(data, 0, out, prefixLength, data.length);
        transport.write(out);
    }

    /**
     * The size of the length prefix.
     *
     * @return 1, 2 or 4 bytes
     */
    public final int prefixLength() {
        return prefixLength;
    }
}
