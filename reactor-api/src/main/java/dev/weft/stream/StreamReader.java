package dev.weft.stream;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Transport;
import java.util.Objects;

/**
 * The reading half of a stream connection (asyncio's {@code StreamReader}): the bytes the peer sent, read as counts,
 * lines or separated chunks, each read a {@link Deferred} that fires when the data is there.
 *
 * <p>Use it from callbacks ({@code reader.readLine().addCallback(...)}) or from a coroutine body
 * ({@code byte[] line = reader.readLine().await()}). A read that the buffered data satisfies returns a Deferred that
 * has fired already, so a loop over buffered data does not wait for the loop. One read may wait at a time: starting
 * another while one waits throws {@link IllegalStateException} (asyncio's {@code RuntimeError}). Cancelling a waiting
 * read (for instance through {@link Deferred#addTimeout}) removes it and leaves the buffered bytes in place for the
 * next read.
 *
 * <p>End of stream: once the peer has closed (or half-closed) its side, reads return what is buffered and then
 * their end-of-stream value: {@link #read(int)} and {@link #readLine()} return an empty array, again and again;
 * {@link #readExactly(int)} and {@link #readUntil(byte[])} fail with {@link IncompleteReadException}. If the
 * connection was lost with an error (anything but a clean close), every read from then on fails with that reason
 * (a {@link dev.weft.protocol.ConnectionLost}, a {@link dev.weft.protocol.ConnectionAborted}), as in asyncio.
 *
 * <p>Back-pressure: while more than {@link #limit()} bytes are buffered unread and no read is waiting, the transport
 * is paused ({@code pauseProducing}); it is resumed once reads bring the buffer back to the limit or a read waits
 * for more. The limit also bounds {@link #readLine()} and {@link #readUntil(byte[])}.
 *
 * <p>Not thread-safe: call it on the reactor thread or from a coroutine body running on its behalf (a
 * {@link StreamHandler}); the Deferreds fire on the reactor thread.
 */
public final class StreamReader {

    /** The default limit, 64 KiB, as asyncio's. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};

    /** How the incoming side stands. */
    private enum End {
        /** Data may still come. */
        OPEN,
        /** The peer closed its side cleanly: what is buffered is all there is. */
        EOF,
        /** The connection was lost with an error: reads fail with it. */
        FAILED
    }

    /** Whether this reader has paused the transport. */
    private enum Flow {
        READING,
        PAUSED
    }

    private final int limit;
    private final StreamBuffer buffer = new StreamBuffer();
    private End end = End.OPEN;
    private Throwable failure;
    private Flow flow = Flow.READING;
    private Transport transport;
    private Read waiting;

    StreamReader(int limit) {
        this.limit = checkLimit(limit);
    }

    static int checkLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return limit;
    }

    // ------------------------------------------------------------------ reads

    /**
     * Reads up to {@code n} bytes (asyncio's {@code read(n)}): what is buffered, at most n, as soon as there is
     * any; an empty array at end of stream. With {@code n == -1}, reads everything until the end of stream (and
     * buffers it all, whatever the limit). With {@code n == 0}, an empty array at once.
     *
     * @param n the most bytes to return, or -1 for everything up to the end of stream
     * @return a Deferred of the bytes
     * @throws IllegalArgumentException if {@code n} is below -1
     * @throws IllegalStateException    if another read is waiting
     */
    public Deferred<byte[]> read(int n) {
        if (n < -1) {
            throw new IllegalArgumentException("n must be -1 (read to end of stream) or at least 0: " + n);
        }
        return start(new Read("read(" + n + ")") {
            @Override
            Object attempt() {
                if (end == End.FAILED) {
                    return failure;
                }
                if (n == 0) {
                    return EMPTY;
                }
                if (n == -1) {
                    return end == End.EOF ? buffer.take(buffer.size()) : null;
                }
                if (buffer.size() > 0) {
                    return buffer.take(Math.min(n, buffer.size()));
                }
                return end == End.EOF ? EMPTY : null;
            }
        });
    }

    /**
     * Reads exactly {@code n} bytes (asyncio's {@code readexactly}). If the stream ends first, the Deferred fails
     * with {@link IncompleteReadException}, which holds the bytes that came.
     *
     * @param n how many bytes, at least 0
     * @return a Deferred of exactly {@code n} bytes
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException    if another read is waiting
     */
    public Deferred<byte[]> readExactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        return start(new Read("readExactly(" + n + ")") {
            @Override
            Object attempt() {
                if (end == End.FAILED) {
                    return failure;
                }
                if (buffer.size() >= n) {
                    return buffer.take(n);
                }
                if (end == End.EOF) {
                    return new IncompleteReadException(buffer.take(buffer.size()), n);
                }
                return null;
            }
        });
    }

    /**
     * Reads one line, up to and including its {@code '\n'} (asyncio's {@code readline}). At end of stream it
     * returns the last, unterminated line, then empty arrays. A line longer than {@link #limit()} fails with
     * {@link LimitOverrunException}, and is dropped from the buffer (up to its newline if that came, else all that
     * is buffered).
     *
     * @return a Deferred of the line with its newline (without one only for the last line of the stream), or an
     *         empty array at end of stream
     * @throws IllegalStateException if another read is waiting
     */
    public Deferred<byte[]> readLine() {
        return start(new Read("readLine()") {
            @Override
            Object attempt() {
                Object r = until(NEWLINE, this);
                if (r instanceof IncompleteReadException e) {
                    return e.partial();
                }
                if (r instanceof LimitOverrunException e) {
                    if (buffer.startsWithAt(NEWLINE, e.consumed())) {
                        buffer.skip(e.consumed() + NEWLINE.length);
                    } else {
                        buffer.clear();
                    }
                }
                return r;
            }
        });
    }

    /**
     * Reads up to and including {@code separator} (asyncio's {@code readuntil}). If the stream ends first, the
     * Deferred fails with {@link IncompleteReadException} holding what was buffered. If the chunk before the
     * separator is longer than {@link #limit()} (or no separator is in more than {@code limit} bytes), it fails with
     * {@link LimitOverrunException} and the bytes stay buffered.
     *
     * @param separator what ends the chunk: at least one byte
     * @return a Deferred of the chunk, separator included
     * @throws NullPointerException     if {@code separator} is null
     * @throws IllegalArgumentException if {@code separator} is empty
     * @throws IllegalStateException    if another read is waiting
     */
    public Deferred<byte[]> readUntil(byte[] separator) {
        Objects.requireNonNull(separator, "separator must not be null");
        if (separator.length == 0) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        byte[] sep = separator.clone();
        return start(new Read("readUntil(" + sep.length + "-byte separator)") {
            @Override
            Object attempt() {
                return until(sep, this);
            }
        });
    }

    /**
     * The outcome of a readUntil now: the chunk, a failure, or null to wait. While a read waits the buffer only grows,
     * so the search goes on where the last one stopped ({@link Read#scanned}).
     */
    private Object until(byte[] sep, Read read) {
        if (end == End.FAILED) {
            return failure;
        }
        int at = buffer.indexOf(sep, read.scanned);
        read.scanned = Math.max(0, buffer.size() + 1 - sep.length);
        if (at >= 0) {
            if (at > limit) {
                return new LimitOverrunException("the separator was found, but the chunk before it is longer than "
                        + "the limit", at, limit);
            }
            return buffer.take(at + sep.length);
        }
        int searched = buffer.size() + 1 - sep.length;
        if (searched > limit) {
            return new LimitOverrunException("no separator within the limit", searched, limit);
        }
        if (end == End.EOF) {
            return new IncompleteReadException(buffer.take(buffer.size()), -1);
        }
        return null;
    }

    // ---------------------------------------------------------------- state

    /**
     * Whether the stream has ended and every byte was read (asyncio's {@code at_eof}). False after a connection
     * lost with an error (see {@link #exception()}).
     *
     * @return whether reads can only return end of stream
     */
    public boolean atEof() {
        return end == End.EOF && buffer.size() == 0;
    }

    /**
     * The error the connection was lost with, which every read now fails with (asyncio's {@code exception()}).
     *
     * @return the reason, or null if the connection is open or closed cleanly
     */
    public Throwable exception() {
        return failure;
    }

    /**
     * The limit: the most bytes buffered unread before the transport is paused, and the longest line or chunk
     * before a separator.
     *
     * @return the limit, in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * How many bytes are buffered unread.
     *
     * @return the count
     */
    public int buffered() {
        return buffer.size();
    }

    /**
     * Whether this reader has paused the transport because too much is buffered unread.
     *
     * @return true while paused
     */
    public boolean isPaused() {
        return flow == Flow.PAUSED;
    }

    @Override
    public String toString() {
        return "StreamReader[" + buffer.size() + " bytes buffered, " + end + (flow == Flow.PAUSED ? ", paused" : "")
                + (waiting != null ? ", waiting in " + waiting.name : "") + "]";
    }

    // ------------------------------------------------------ fed by the protocol

    void attach(Transport transport) {
        this.transport = transport;
    }

    void feedData(byte[] data) {
        if (data.length == 0 || end != End.OPEN) {
            return;
        }
        buffer.append(data);
        wake();
    }

    void feedEof() {
        if (end == End.OPEN) {
            end = End.EOF;
        }
        wake();
    }

    void feedFailure(Throwable reason) {
        if (end != End.FAILED) {
            end = End.FAILED;
            failure = reason;
        }
        wake();
    }

    // ------------------------------------------------------------ machinery

    /** One read: what it is called, and how it completes from the buffer. */
    private abstract static class Read {
        final String name;
        Deferred<byte[]> deferred;
        /** For a separator search: where the next attempt starts looking. */
        int scanned;

        Read(String name) {
            this.name = name;
        }

        /**
         * Tries to complete now.
         *
         * @return the bytes, a Throwable to fail with, or null to wait for more
         */
        abstract Object attempt();
    }

    private Deferred<byte[]> start(Read read) {
        if (waiting != null) {
            throw new IllegalStateException(read.name + " called while " + waiting.name
                    + " is waiting for data: one read at a time");
        }
        Object outcome = read.attempt();
        if (outcome != null) {
            updateFlow();
            return fired(outcome);
        }
        read.deferred = new Deferred<>(d -> {
            if (waiting == read) {
                waiting = null;
                updateFlow();
            }
        });
        waiting = read;
        updateFlow();
        return read.deferred;
    }

    private void wake() {
        Read read = waiting;
        if (read != null) {
            Object outcome = read.attempt();
            if (outcome != null) {
                waiting = null;
                updateFlow();
                fire(read.deferred, outcome);
                return;
            }
        }
        updateFlow();
    }

    private void updateFlow() {
        if (transport == null || end != End.OPEN || transport.isDisconnecting()) {
            return;
        }
        boolean over = waiting == null && buffer.size() > limit;
        if (over && flow == Flow.READING) {
            flow = Flow.PAUSED;
            transport.pauseProducing();
        } else if (!over && flow == Flow.PAUSED) {
            flow = Flow.READING;
            transport.resumeProducing();
        }
    }

    private static Deferred<byte[]> fired(Object outcome) {
        return outcome instanceof Throwable t ? Deferred.fail(t) : Deferred.succeed((byte[]) outcome);
    }

    private static void fire(Deferred<byte[]> d, Object outcome) {
        if (outcome instanceof Throwable t) {
            d.errback(t);
        } else {
            d.callback((byte[]) outcome);
        }
    }
}
