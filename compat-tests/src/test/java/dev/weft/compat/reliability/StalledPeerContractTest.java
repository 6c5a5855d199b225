package dev.weft.compat.reliability;

import static dev.weft.compat.net.Bytes.KIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Bytes;
import dev.weft.compat.net.Net;
import dev.weft.compat.net.Reasons;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.spi.StreamTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer that never reads (issue 7, exhaustion): a server protocol registered as a streaming producer of its own
 * connection writes a 16 KiB chunk per pass of the loop while it is not paused, to a plain blocking JDK socket that
 * reads nothing. Pinned down:
 * <ul>
 *   <li>flow control bounds the memory: the producer is paused; the transport's write buffer
 *       ({@link StreamTransport#writeBufferSize()}) never holds more than the high-water mark
 *       ({@link StreamTransport#WRITE_BUFFER_LIMIT}) plus one chunk; all the producer wrote fits in that plus the
 *       kernel's buffers (the server's largest send buffer, {@code tcp_wmem}, and the client's receive buffer);</li>
 *   <li>a paused producer is resumed only when the write buffer is empty, so it stays paused, the buffer stays as it
 *       is and nothing more is written while the peer reads nothing;</li>
 *   <li>{@code abortConnection} frees it all: {@code connectionLost(ConnectionAborted)} once, {@code stopProducing}
 *       once, a write buffer of 0, the peer sees the connection end, and no file descriptor, reactor resource,
 *       reader, writer or delayed call is left ({@link Leaks}).</li>
 * </ul>
 */
final class StalledPeerContractTest {
    private static final int CHUNK = 16 * KIB;
    /** The client's receive buffer, set before it connects (Linux doubles it and stops tuning it). */
    private static final int CLIENT_RCVBUF = 64 * KIB;
    /** How long the producer must have written nothing, paused, before the stall is taken as reached. */
    private static final double QUIET_SECONDS = 0.2;
    /** The largest kernel send buffer when {@code /proc/sys/net/ipv4/tcp_wmem} cannot be read: Linux's default. */
    private static final long DEFAULT_WMEM_MAX = 4L * 1024 * 1024;

    /**
     * The server's protocol, and the streaming producer of its own connection: one chunk per pass while not paused.
     * Records the write buffer after every write and at every resume. Reactor thread only.
     */
    private static final class Flooder extends Protocol implements PushProducer {
        private final Reactor reactor;
        private final Net net;
        private final byte[] pattern = Bytes.random(0x57a11edL, CHUNK);
        final List<String> problems = new ArrayList<>();
        long written;
        long maxBuffered;
        long writesWhilePaused;
        double lastWriteAt;
        int pauses;
        int resumes;
        int stops;
        int lost;
        Throwable reason;
        boolean paused;
        boolean scheduled;

        Flooder(Reactor reactor, Net net) {
            this.reactor = reactor;
            this.net = net;
        }

        long buffered() {
            return ((StreamTransport) transport).writeBufferSize();
        }

        @Override
        public void connectionMade() {
            transport.registerProducer(this, true);
            schedule();
        }

        private void schedule() {
            if (!scheduled && lost == 0 && stops == 0) {
                scheduled = true;
                reactor.callLater(0, this::tick);
            }
        }

        private void tick() {
            scheduled = false;
            if (paused || lost > 0 || stops > 0) {
                return;
            }
            byte[] chunk = pattern.clone();
            ByteBuffer.wrap(chunk).putLong(written);
            transport.write(chunk);
            written += chunk.length;
            lastWriteAt = reactor.seconds();
            maxBuffered = Math.max(maxBuffered, buffered());
            net.poke();
            schedule();
        }

        @Override
        public void pauseProducing() {
            pauses++;
            paused = true;
        }

        @Override
        public void resumeProducing() {
            resumes++;
            long b = buffered();
            if (b != 0) {
                problem("resumeProducing with " + b + " bytes still in the write buffer");
            }
            paused = false;
            schedule();
        }

        @Override
        public void stopProducing() {
            stops++;
        }

        @Override
        public void connectionLost(Throwable why) {
            lost++;
            reason = why;
            net.poke();
        }

        void problem(String p) {
            if (problems.size() < 10) {
                problems.add(p);
            }
        }

        boolean stalled() {
            return paused && lost == 0 && reactor.seconds() - lastWriteAt >= QUIET_SECONDS;
        }

        String describe() {
            return "written " + written + " bytes, at most " + maxBuffered + " in the write buffer, paused " + pauses
                    + " times, resumed " + resumes + " times, stopped " + stops + " times, now "
                    + (paused ? "paused" : "not paused") + ", lost " + lost + " times ("
                    + (reason == null ? "-" : Reasons.describe(reason)) + "), problems " + problems;
        }
    }

    @ContractTest
    void producerForAPeerThatNeverReadsIsPausedWithBoundedBufferAndAbortFreesIt(ReactorHarness h, BackendVariant v)
            throws Exception {
        Leaks.assumeProcFd();
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            Flooder[] flooder = new Flooder[1];
            Factory server = new Factory() {
                @Override
                public Protocol buildProtocol(InetSocketAddress address) {
                    if (flooder[0] != null) {
                        return null;
                    }
                    flooder[0] = new Flooder(r, net);
                    return flooder[0];
                }
            };
            ListeningPort port = net.listen(server);
            net.passes(3);
            Leaks.Snapshot before = Leaks.take(net);

            long clientRcvbuf;
            long readByClient;
            String clientEnd;
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(CLIENT_RCVBUF);
                client.connect(new InetSocketAddress(Net.LOOPBACK, port.getHost().getPort()), 4_000);
                clientRcvbuf = client.getReceiveBufferSize();
                net.await("the server's producer to be paused and to write nothing for " + QUIET_SECONDS + " s",
                        () -> flooder[0] != null && flooder[0].stalled(),
                        () -> flooder[0] == null ? "no connection yet" : flooder[0].describe());
                Flooder f = flooder[0];
                // Linux books twice the receive buffer that was set (half of it for its own overhead).
                long slack = wmemMax() + 2 * clientRcvbuf;
                long bufferBound = StreamTransport.WRITE_BUFFER_LIMIT + CHUNK;
                long[] stalled = net.call(() -> new long[] {f.written, f.buffered()});
                assertTrue(f.pauses >= 1, () -> "the producer must be paused: " + f.describe());
                assertTrue(f.maxBuffered <= bufferBound, () -> "the write buffer must stay within the high-water "
                        + "mark + one chunk (" + bufferBound + " bytes): " + f.describe());
                assertTrue(stalled[1] > 0, () -> "a stalled producer is paused because bytes wait in the write "
                        + "buffer: " + f.describe());
                assertTrue(f.written <= bufferBound + slack, () -> "what the producer wrote must fit in the write "
                        + "buffer's bound + the kernel's buffers (" + slack + " bytes): " + f.describe());

                net.passes(20);
                long[] later = net.call(() -> new long[] {f.written, f.buffered()});
                assertTrue(f.paused, () -> "the producer must stay paused while the peer reads nothing: "
                        + f.describe());
                assertEquals(stalled[0], later[0], () -> "nothing more may be written while the producer is "
                        + "paused: " + f.describe());
                assertTrue(later[1] <= bufferBound, () -> "the write buffer while paused: " + later[1]);
                assertEquals(List.of(), f.problems, f::describe);

                long bufferAtAbort = later[1];
                long bufferAfterAbort = net.call(() -> {
                    f.transport().abortConnection();
                    return f.buffered();
                });
                net.await("the server's connectionLost after abortConnection", () -> f.lost > 0, f::describe);
                net.passes(3);
                assertEquals(1, f.lost, () -> "connectionLost exactly once: " + f.describe());
                assertInstanceOf(ConnectionAborted.class, f.reason, f::describe);
                assertEquals(1, f.stops, () -> "the registered producer must be stopped once when the connection "
                        + "is lost: " + f.describe());
                assertEquals(0, bufferAfterAbort, () -> "abortConnection must release the write buffer ("
                        + bufferAtAbort + " bytes before it): " + f.describe());
                assertEquals(0L, (long) net.call(f::buffered), "the write buffer after connectionLost");

                client.setSoTimeout(4_000);
                long[] read = {0};
                clientEnd = readToEnd(client.getInputStream(), f.written, read);
                readByClient = read[0];
                assertTrue(clientEnd.startsWith("end"), () -> "the peer must see the aborted connection end: "
                        + "read " + read[0] + " bytes, then " + "timed out");
                Figures.record(v, "stalled peer: producer paused, then abort", "%,d bytes written (%,d bytes "
                        + "of kernel buffers allowed: tcp_wmem max + 2 x client SO_RCVBUF %,d), at most %,d in the "
                        + "write buffer (bound %,d), %,d when paused; paused %d times, resumed %d times; after "
                        + "abortConnection: %s, stopProducing %d, write buffer %,d; the client read %,d bytes, then "
                        + "%s", f.written, slack, clientRcvbuf, f.maxBuffered, bufferBound, bufferAtAbort, f.pauses,
                        f.resumes, f.reason.getClass().getSimpleName(), f.stops, bufferAfterAbort, readByClient,
                        clientEnd);
            }
            net.passes(3);
            Leaks.Snapshot after = Leaks.take(net);
            Leaks.assertNoGrowth("a stalled connection and its abort", before, after);
        }
    }

    /**
     * Reads until the end of the stream or a reset, at most {@code limit} + 1 bytes.
     *
     * @return "end of stream" or "end: reset (message)", or "timed out"
     */
    private static String readToEnd(InputStream in, long limit, long[] read) throws IOException {
        byte[] buf = new byte[64 * KIB];
        while (read[0] <= limit) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return "timed out";
            } catch (IOException e) {
                return "end: reset (" + e.getMessage() + ")";
            }
            if (n < 0) {
                return "end of stream";
            }
            read[0] += n;
        }
        return "more bytes than were written";
    }

    /** The largest send buffer the kernel gives a TCP socket (the third field of {@code tcp_wmem}). */
    private static long wmemMax() {
        try {
            // readAllLines, not readString: /proc files report a size of 0, and readString then reads too little.
            String[] f = Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_wmem")).get(0).trim().split("\\s+");
            return Long.parseLong(f[f.length - 1]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_WMEM_MAX;
        }
    }
}
