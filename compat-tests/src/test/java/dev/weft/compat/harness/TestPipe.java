package dev.weft.compat.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/** A {@link Pipe} with both ends in non-blocking mode, and helpers to fill and drain it. */
public final class TestPipe implements AutoCloseable {
    private final Pipe pipe;

    private TestPipe(Pipe pipe) {
        this.pipe = pipe;
    }

    /**
     * Opens a pipe, both ends non-blocking.
     *
     * @return the pipe
     * @throws IOException if it cannot be opened
     */
    public static TestPipe open() throws IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return new TestPipe(p);
    }

    /**
     * The readable end.
     *
     * @return the source channel
     */
    public Pipe.SourceChannel source() {
        return pipe.source();
    }

    /**
     * The writable end.
     *
     * @return the sink channel
     */
    public Pipe.SinkChannel sink() {
        return pipe.sink();
    }

    /**
     * Writes {@code bytes} to the sink (a pipe takes a few bytes without blocking).
     *
     * @param bytes what to write
     * @return this pipe, now readable
     */
    public TestPipe write(byte... bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                if (pipe.sink().write(b) == 0) {
                    throw new IllegalStateException("pipe full");
                }
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads what the source has now, without blocking.
     *
     * @return the bytes read, possibly none
     */
    public byte[] drain() {
        try {
            ByteBuffer b = ByteBuffer.allocate(4096);
            int n = pipe.source().read(b);
            byte[] out = new byte[Math.max(0, n)];
            b.flip();
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            pipe.source().close();
        } finally {
            pipe.sink().close();
        }
    }
}
