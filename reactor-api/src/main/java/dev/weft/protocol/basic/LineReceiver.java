package dev.weft.protocol.basic;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A protocol that splits its input into lines (Twisted's {@code LineReceiver}), and can switch to raw mode and back.
 *
 * <p>Subclass it and implement {@link #lineReceived(byte[])}. Lines are delivered as bytes, without the delimiter,
 * with no character decoding: decode them yourself (for text, {@code new String(line, UTF_8)}). The delimiter is
 * {@code "\r\n"} unless {@link #setDelimiter(byte[])} changes it.
 *
 * <p>It makes the same callbacks, with the same arguments, in the same order, as Twisted 22.4's
 * {@code LineReceiver}, for every sequence of chunks and every handler (pinned against real Twisted by a
 * differential test):
 * <ul>
 *   <li>a line longer than {@link #getMaxLength()} bytes (default {@value #DEFAULT_MAX_LENGTH}, Twisted's
 *       {@code MAX_LENGTH}) calls {@link #lineLengthExceeded(byte[])} with that line, its delimiter and everything
 *       buffered after it; a buffer of {@code maxLength + delimiter length} bytes or more with no delimiter calls it
 *       with the whole buffer. The buffer is empty afterwards, and the rest of that chunk is not parsed: what the
 *       handler gives back (for instance with {@link #setLineMode(byte[])}) is parsed on the next
 *       {@code dataReceived}. The default handler loses the connection;</li>
 *   <li>in raw mode each chunk (with whatever was buffered) goes to {@link #rawDataReceived(byte[])} in one piece,
 *       never as an empty array;</li>
 *   <li>after each line, delivery stops if the transport is disconnecting ({@code loseConnection()}): the rest of
 *       the chunk stays buffered (a real transport delivers nothing more; a later {@code dataReceived} call, as a
 *       test may make, goes on with it);</li>
 *   <li>{@link #pauseProducing()} stops delivery (data is buffered) until {@link #resumeProducing()}.</li>
 * </ul>
 * Memory: between calls the receiver holds less than {@code maxLength + delimiter length} bytes in line mode, and
 * during a call at most that plus the chunk being parsed, except while paused (when the transport is paused too),
 * when a handler gives bytes back, and once the transport is disconnecting (a real transport then delivers nothing
 * more).
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
     * Not called while paused or in raw mode, nor for the rest of a chunk once a line saw the transport
     * disconnecting.
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
     * Called on the reactor thread when a line is too long (see the class comment), with the whole buffer: the
     * overlong line, its delimiter and everything after it, or the whole unterminated buffer. The buffer is empty when
     * it is called; parsing goes on at the next {@code dataReceived}, with what the handler gives back through
     * {@link #setLineMode(byte[])}, if anything. The default loses the connection.
     *
     * @param line the overlong line and everything buffered after it
     */
    protected void lineLengthExceeded(byte[] line) {
        if (transport != null) {
            transport.loseConnection();
        }
    }

    /**
     * Splits {@code data} into lines (or hands it on in raw mode), exactly as Twisted's {@code LineReceiver} does:
     * the data is added to the buffer, then, while the buffer is not empty and the receiver is not paused, the first
     * line is delivered (in line mode) or the whole buffer is (in raw mode, never as an empty array). Delivery of
     * lines stops after a line once the transport is disconnecting (the rest stays buffered and a later call goes on
     * with it), and after a {@link #lineLengthExceeded(byte[])}. Called by the transport on the reactor thread. A
     * call made from inside a callback of this receiver (for instance through {@link #setLineMode(byte[])}) only
     * adds to the buffer: what it adds is parsed by the call already running, if it goes on, or by the next one.
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
            if (!lineMode && !paused && buffer.size() == 0 && data.length > 0) {
                rawDataReceived(data);
            } else {
                buffer.append(data, 0, data.length, softCap());
            }
            parse();
        } finally {
            busy = false;
            buffer.shrink(softCap());
        }
    }

    private void parse() {
        while (buffer.size() > 0 && !paused) {
            if (!lineMode) {
                scanned = 0;
                rawDataReceived(buffer.takeAll());
                continue;
            }
            int index = buffer.indexOf(delimiter, scanned);
            if (index < 0) {
                if (buffer.size() >= (long) maxLength + delimiter.length) {
                    scanned = 0;
                    lineLengthExceeded(buffer.takeAll());
                    return;
                }
                scanned = Math.max(0, buffer.size() - delimiter.length + 1);
                return;
            }
            scanned = 0;
            if (index > maxLength) {
                // The line, its delimiter and everything after it, as Twisted passes it.
                lineLengthExceeded(buffer.takeAll());
                return;
            }
            byte[] line = buffer.take(index);
            buffer.skip(delimiter.length);
            lineReceived(line);
            if (disconnecting()) {
                return;
            }
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
        return (int) Math.min(Integer.MAX_VALUE, (long) maxLength + delimiter.length);
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
     * {@link #rawDataReceived(byte[])} was given but did not consume. Called from inside a callback, as in Twisted,
     * it adds {@code extra} to the buffer, for the running {@code dataReceived} to parse (after
     * {@link #lineLengthExceeded(byte[])}, the next one).
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
