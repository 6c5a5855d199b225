package dev.weft.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.ReadDescriptor;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/** Helpers shared by the tests: bounded waits, native epoll detection, a pipe reader. */
final class TestSupport {
    static final long TIMEOUT_SECONDS = 5;

    private TestSupport() {
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + what);
    }

    static void assumeEpoll() {
        Throwable cause = NettyIoKind.epollUnavailabilityCause();
        Assumptions.assumeTrue(cause == null, () -> "native epoll does not load here: " + cause);
    }

    /** Skips the test where {@code transport} (nio, epoll, io_uring) cannot be used here. */
    static void assumeTransport(String transport) {
        Throwable cause = transport.equals("epoll") ? NettyIoKind.epollUnavailabilityCause()
                : transport.equals("io_uring") ? NettyIoKind.ioUringUnavailabilityCause() : null;
        Assumptions.assumeTrue(cause == null, () -> transport + " cannot be used here: " + cause);
    }

    /** Reads what arrives on a pipe's source and hands each chunk to {@code sink}. */
    static final class PipeReader implements ReadDescriptor {
        final Pipe.SourceChannel source;
        final Consumer<String> sink;

        PipeReader(Pipe.SourceChannel source, Consumer<String> sink) {
            this.source = source;
            this.sink = sink;
        }

        @Override
        public SelectableChannel channel() {
            return source;
        }

        @Override
        public void doRead() throws Exception {
            ByteBuffer b = ByteBuffer.allocate(256);
            int n = source.read(b);
            if (n > 0) {
                sink.accept(new String(b.array(), 0, n, java.nio.charset.StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
        }
    }

    static Pipe pipe() throws java.io.IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    static void write(Pipe p, String s) {
        try {
            p.sink().write(ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
