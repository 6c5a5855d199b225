package dev.weft.protocol.basic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A protocol that splits its input into lines (Twisted's {@code LineReceiver}), and can switch to raw mode and back.
 *
 * <p>Subclass it and implement {@link #lineReceived(byte[])}. Lines are delivered as bytes, without the delimiter,
 * with no character decoding: decode them yourself (for text, {@code new String(line, UTF_8)}). The delimiter is
 * {@code "\r\n"} unless {@link #setDelimiter(byte[])} changes it.
 *
 * <p>Limits: a line longer than {@link #getMaxLength()} bytes (default {@value #DEFAULT_MAX_LENGTH}, Twisted's
 * {@code MAX_LENGTH}), or {@code maxLength + delimiter length} bytes or more with no delimiter, calls
 * {@link #lineLengthExceeded(byte[])} (default: {@code transport.loseConnection()}). The receiver never holds more
 * than {@code maxLength + delimiter length} bytes in line mode, whatever the size of the chunks it is given, except
 * while paused (when the transport is paused too, see {@link #pauseProducing()}).
 *
 * <p>Delivery stops once the transport is disconnecting ({@code loseConnection()}, {@code abortConnection()}):
 * nothing is delivered after that, and what is buffered or arrives later is dropped.
 *
 * <p>Every callback runs on the reactor thread. {@code dataReceived} is final: the framing is this class's job.
 * Not thread-safe.
 */
public abstract class LineReceiver extends PausableFramingReceiver {

    /** The default limit on a line's length, in bytes (Twisted's {@code MAX_LENGTH}). */
    public static final int DEFAULT_MAX_LENGTH = 16384;

    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteAccumulator buffer = new ByteAccumulator();
    private byte[] delimiter = CRLF;
    private boolean lineMode = true;
    private boolean busy;
    private int scanned;

    /** Creates a receiver in line mode with the default delimiter and limit. */
    protected LineReceiver() {
        super(DEFAULT_MAX_LENGTH);
    }

    /**
     * Called on the reactor thread for each complete line, in order, without its delimiter. The line may be empty.
     * Not called once the transport is disconnecting, while paused, or in raw mode.
     *
     * @param line the line's bytes; the receiver owns the array
     */
    protected abstract void lineReceived(byte[] line);

    /**
     * Called on the reactor thread, in raw mode, with whatever bytes come in (what was buffered when
     * {@link #setRawMode()} was called, then each chunk). Override it if you use raw mode; the default throws
     * {@link UnsupportedOperationException}, which loses the connection.
     *
     * @param data the bytes; the receiver owns the array
     */
    protected void rawDataReceived(byte[] data) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement rawDataReceived");
    }

    /**
     * Called on the reactor thread when a line is too long (see the class comment), with the bytes buffered at that
     * moment (at most {@code maxLength} plus the delimiter plus what is left of a chunk); they are dropped, and parsing
     * goes on after them. The default loses the connection, so nothing more is delivered.
     *
     * @param line the bytes of the too-long line buffered so far
     */
    protected void lineLengthExceeded(byte[] line) {
        if (transport != null) {
            transport.loseConnection();
        }
    }

    /**
     * Splits {@code data} into lines (or hands it on in raw mode). Called by the transport on the reactor thread.
     * A call made from inside a callback of this receiver (for instance through {@link #setLineMode(byte[])})
     * queues the data behind what is being parsed.
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
                if (!lineMode && buffer.size() == 0) {
                    byte[] rest = off == 0 ? data : Arrays.copyOfRange(data, off, data.length);
                    off = data.length;
                    rawDataReceived(rest);
                    drain();
                    continue;
                }
                int n = data.length - off;
                if (lineMode) {
                    n = Math.min(n, Math.max(1, maxLength + delimiter.length - buffer.size()));
                }
                buffer.append(data, off, n, softCap());
                off += n;
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

    private void drain() {
        while (buffer.size() > 0 && !paused) {
            if (disconnecting()) {
                buffer.clear();
                return;
            }
            if (!lineMode) {
                rawDataReceived(buffer.takeAll());
                continue;
            }
            int index = buffer.indexOf(delimiter, scanned);
            if (index < 0) {
                if (buffer.size() >= (long) maxLength + delimiter.length) {
                    scanned = 0;
                    lineLengthExceeded(buffer.takeAll());
                    continue;
                }
                scanned = Math.max(0, buffer.size() - delimiter.length + 1);
                return;
            }
            scanned = 0;
            if (index > maxLength) {
                lineLengthExceeded(buffer.takeAll());
                continue;
            }
            byte[] line = buffer.take(index);
            buffer.skip(delimiter.length);
            lineReceived(line);
        }
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
        return maxLength + delimiter.length;
    }

    /**
     * Writes {@code line} followed by the delimiter, in one write.
     *
     * @param line the line, without delimiter
     * @throws NullPointerException  if {@code line} is null
     * @throws IllegalStateException if there is no transport yet
     */
    public void sendLine(byte[] line) {
        Objects.requireNonNull(line, "line must not be null");
        if (transport == null) {
            throw new IllegalStateException("not connected: no transport");
        }
        byte[] out = new byte[line.length + delimiter.length];
        System.arraycopy(line, 0, out, 0, line.length);
        System.arraycopy(delimiter, 0, out, line.length, delimiter.length);
        transport.write(out);
    }

    /**
     * Writes {@code line}, encoded in UTF-8, followed by the delimiter.
     *
     * @param line the line, without delimiter
     * @throws NullPointerException  if {@code line} is null
     * @throws IllegalStateException if there is no transport yet
     */
    public void sendLine(String line) {
        sendLine(Objects.requireNonNull(line, "line must not be null").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Switches to raw mode: from now on, bytes go to {@link #rawDataReceived(byte[])}, starting with what is still
     * buffered. Call it from {@link #lineReceived(byte[])} (or at any time).
     */
    public void setRawMode() {
        lineMode = false;
    }

    /**
     * Switches back to line mode, then parses {@code extra} as if it had just been received: pass the bytes that
     * {@link #rawDataReceived(byte[])} was given but did not consume.
     *
     * @param extra bytes to parse as lines, or null or empty for none
     */
    public void setLineMode(byte[] extra) {
        lineMode = true;
        scanned = 0;
        if (extra != null && extra.length > 0) {
            dataReceived(extra);
        }
    }

    /** Switches back to line mode; see {@link #setLineMode(byte[])}. */
    public void setLineMode() {
        setLineMode(null);
    }

    /**
     * Whether lines are being parsed (true) or raw data handed on (false).
     *
     * @return true in line mode
     */
    public boolean isLineMode() {
        return lineMode;
    }

    /**
     * Empties the buffer and returns what it held (an incomplete line, or data received while paused).
     *
     * @return the buffered bytes
     */
    public byte[] clearLineBuffer() {
        scanned = 0;
        byte[] out = buffer.takeAll();
        buffer.trim();
        return out;
    }

    /**
     * The delimiter.
     *
     * @return a copy of the delimiter (default {@code "\r\n"})
     */
    public byte[] getDelimiter() {
        return delimiter.clone();
    }

    /**
     * Sets the delimiter used to split input and by {@link #sendLine(byte[])}.
     *
     * @param delimiter the delimiter, at least one byte (copied)
     * @throws NullPointerException     if {@code delimiter} is null
     * @throws IllegalArgumentException if {@code delimiter} is empty
     */
    public void setDelimiter(byte[] delimiter) {
        Objects.requireNonNull(delimiter, "delimiter must not be null");
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        this.delimiter = delimiter.clone();
        this.scanned = 0;
    }
}
