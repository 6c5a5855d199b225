package dev.weft.stream;

/**
 * A connected stream: its {@link #reader()} and {@link #writer()} (the pair asyncio's {@code open_connection}
 * returns). Immutable; the streams themselves are used on the reactor thread.
 */
public final class StreamConnection {
    private final StreamReader reader;
    private final StreamWriter writer;

    StreamConnection(StreamReader reader, StreamWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * The reading half.
     *
     * @return the reader
     */
    public StreamReader reader() {
        return reader;
    }

    /**
     * The writing half.
     *
     * @return the writer
     */
    public StreamWriter writer() {
        return writer;
    }

    @Override
    public String toString() {
        return "StreamConnection[" + reader + ", " + writer + "]";
    }
}
