package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.net.Net;
import dev.weft.defer.Coroutine;
import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredTimeoutException;
import dev.weft.endpoints.TCP4ClientEndpoint;
import dev.weft.endpoints.TCP4ServerEndpoint;
import dev.weft.protocol.ConnectionClosedException;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import dev.weft.stream.IncompleteReadException;
import dev.weft.stream.LimitOverrunException;
import dev.weft.stream.StreamConnection;
import dev.weft.stream.StreamReader;
import dev.weft.stream.StreamWriter;
import dev.weft.stream.Streams;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Streams over real loopback connections: reads of every kind, end of stream, half-close, drain's bound on a writer
 * whose peer does not read, the reader's back-pressure, a handler that throws, a peer that never sends the rest.
 */
final class StreamContractTest {
    private static final String LOOPBACK = Net.LOOPBACK;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Runs {@code body} as a coroutine started on the reactor thread, until it returns (bounded). */
    private static <T> T runBody(ReactorHarness h, Reactor r, Coroutine<T> body) throws Exception {
        Deferred<T> result = new Deferred<>();
        r.callLater(0, () -> Deferred.fromCoroutine(body).chainDeferred(result));
        return h.runUntil(r, result.addTimeout(Net.WAIT_SECONDS, r));
    }

    private static Deferred<StreamConnection> open(Reactor r, ListeningPort port) {
        return Streams.openConnection(r, LOOPBACK, port.getHost().getPort());
    }

    /** Reads to end of stream with {@code read(n)}, bounded by {@code max} reads. */
    private static byte[] readAll(StreamReader reader, int max) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < max; i++) {
            byte[] chunk = reader.read(64 * 1024).await();
            if (chunk.length == 0) {
                return all.toByteArray();
            }
            all.writeBytes(chunk);
        }
        throw new AssertionError("no end of stream after " + max + " reads, " + all.size() + " bytes");
    }

    /** The upper-casing line server: one coroutine loop per connection, closing at the client's end of stream. */
    private static ListeningPort upperServer(Reactor r) {
        return Streams.startServer(r, (reader, writer) -> {
            try (writer) {
                for (int i = 0; i < 1000; i++) {
                    byte[] line = reader.readLine().await();
                    if (line.length == 0) {
                        return;
                    }
                    writer.write(ascii(text(line).toUpperCase(Locale.ROOT)));
                    writer.drain().await();
                }
            }
        }, 0, LOOPBACK);
    }

    @ContractTest
    void aClientAndAServerTalkInLinesAndTheHalfCloseEndsTheConversation(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        ListeningPort port = upperServer(r);
        String reply = runBody(h, r, () -> {
            StreamConnection c = open(r, port).await();
            c.writer().write(ascii("hello\nstr"));
            assertEquals("HELLO\n", text(c.reader().readLine().await()));
            c.writer().write(ascii("eams\nlast"));
            c.writer().writeEof();
            String rest = text(readAll(c.reader(), 100));
            assertTrue(c.reader().atEof());
            c.writer().waitClosed().await();
            return rest;
        });
        assertEquals("STREAMS\nLAST", reply, "the server read the last, unterminated line after the half-close, "
                + "answered it, and closed");
    }

    @ContractTest
    void readExactlyAndReadUntilGatherManySmallWrites(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        ListeningPort port = Streams.startServer(r, (reader, writer) -> {
            for (String piece : List.of("ab", "c", "de", "PING\r", "\n", "tail")) {
                writer.write(ascii(piece));
                writer.drain().await();
                dev.weft.task.Task.deferLater(r, 0).await(); // one piece per pass of the loop
            }
            writer.close();
        }, 0, LOOPBACK);
        List<String> got = runBody(h, r, () -> {
            StreamConnection c = open(r, port).await();
            List<String> out = new ArrayList<>();
            out.add(text(c.reader().readExactly(5).await()));
            out.add(text(c.reader().readUntil(ascii("\r\n")).await()));
            try {
                c.reader().readUntil(ascii("\r\n")).await();
                out.add("no exception");
            } catch (IncompleteReadException e) {
                out.add("incomplete:" + text(e.partial()) + ":" + e.expected());
            }
            out.add("read:" + c.reader().read(10).await().length);
            return out;
        });
        assertEquals(List.of("abcde", "PING\r\n", "incomplete:tail:" + OptionalInt.empty(), "read:0"), got);
    }

    @ContractTest
    void readsAtEndOfStreamAreWellDefined(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        ListeningPort port = Streams.startServer(r, (reader, writer) -> {
            writer.write(ascii("partial"));
            writer.close();
        }, 0, LOOPBACK);
        List<String> got = runBody(h, r, () -> {
            StreamConnection c = open(r, port).await();
            List<String> out = new ArrayList<>();
            try {
                c.reader().readExactly(10).await();
            } catch (IncompleteReadException e) {
                out.add(text(e.partial()) + "/" + e.expected().getAsInt());
            }
            out.add("read=" + c.reader().read(5).await().length);
            out.add("line=" + c.reader().readLine().await().length);
            try {
                c.reader().readExactly(1).await();
            } catch (IncompleteReadException e) {
                out.add("exactly:" + e.partial().length);
            }
            out.add("atEof=" + c.reader().atEof());
            return out;
        });
        assertEquals(List.of("partial/10", "read=0", "line=0", "exactly:0", "atEof=true"), got);
    }

    @ContractTest
    void aChunkOverTheLimitFailsAtTheReadAndItsBytesStayReadable(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        byte[] longChunk = new byte[100];
        java.util.Arrays.fill(longChunk, (byte) 'x');
        ListeningPort port = Streams.startServer(r, (reader, writer) -> {
            writer.write(longChunk);
            writer.write(ascii("\nok\n"));
            writer.close();
        }, 0, LOOPBACK);
        List<String> got = runBody(h, r, () -> {
            StreamConnection c = Streams.openConnection(r, LOOPBACK, port.getHost().getPort(), 32).await();
            List<String> out = new ArrayList<>();
            try {
                c.reader().readUntil(ascii("\n")).await();
                out.add("no exception");
            } catch (LimitOverrunException e) {
                out.add("overrun, limit " + e.limit());
            }
            byte[] rest = c.reader().readExactly(101).await();
            out.add(rest[99] + "," + rest[100]);
            out.add(text(c.reader().readLine().await()));
            return out;
        });
        assertEquals(List.of("overrun, limit 32", "120,10", "ok\n"), got);
    }

    @ContractTest
    void unreadDataOverTheLimitPausesTheTransportAndReadingResumesIt(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            int total = 1024 * 1024;
            int limit = 16 * 1024;
            ListeningPort port = Streams.startServer(r, (reader, writer) -> {
                byte[] chunk = new byte[16 * 1024];
                for (int sent = 0; sent < total; sent += chunk.length) {
                    writer.write(chunk);
                    writer.drain().await();
                }
                writer.close();
            }, 0, LOOPBACK);
            int[] maxBuffered = {0};
            int received = runBody(h, r, () -> {
                StreamConnection c = Streams.openConnection(r, LOOPBACK, port.getHost().getPort(), limit).await();
                StreamReader reader = c.reader();
                net.when("the client's reader to pause its transport", reader::isPaused, reader::toString, 3.0)
                        .await();
                maxBuffered[0] = reader.buffered();
                int n = 0;
                for (int i = 0; i < 10_000; i++) {
                    byte[] b = reader.read(4096).await();
                    if (b.length == 0) {
                        return n;
                    }
                    n += b.length;
                    maxBuffered[0] = Math.max(maxBuffered[0], reader.buffered());
                }
                throw new AssertionError("no end of stream after 10000 reads, " + n + " bytes");
            });
            assertEquals(total, received);
            assertTrue(maxBuffered[0] <= limit + 1024 * 1024, "unread data stays near the limit once paused: "
                    + maxBuffered[0]);
        }
    }

    @ContractTest
    void aWriterThatAwaitsDrainAgainstAPeerThatDoesNotReadStaysBounded(ReactorHarness h) throws Exception {
        try (Net net = Net.open(h)) {
            Reactor r = net.reactor();
            int chunkSize = 64 * 1024;
            int[] stalls = {0};
            long[] written = {0};
            long[] maxBuffer = {0};
            long[] acceptedWhileNotDrained = {0};
            Deferred<Void> finish = new Deferred<>();
            @SuppressWarnings("unchecked")
            Deferred<Void>[] waiting = new Deferred[1];
            ListeningPort port = Streams.startServer(r, (reader, writer) -> {
                byte[] chunk = new byte[chunkSize];
                for (int i = 0; i < 4096; i++) { // at most 256 MiB: far more than the socket buffers hold
                    writer.write(chunk);
                    written[0] += chunkSize;
                    maxBuffer[0] = Math.max(maxBuffer[0], writer.transport().writeBufferSize());
                    Deferred<Void> drained = writer.drain();
                    waiting[0] = drained;
                    if (!drained.isCalled()) {
                        stalls[0]++;
                        acceptedWhileNotDrained[0] = Math.max(acceptedWhileNotDrained[0],
                                writer.transport().writeBufferSize());
                    }
                    drained.await();
                    if (finish.isCalled()) {
                        break;
                    }
                }
                writer.close();
            }, 0, LOOPBACK);
            long received = runBody(h, r, () -> {
                StreamConnection c = Streams.openConnection(r, LOOPBACK, port.getHost().getPort(), chunkSize)
                        .await();
                // The client reads nothing: once its reader and the socket buffers are full, the server's loop
                // must be held at drain(), its write buffer bounded.
                net.when("the client's reader to pause and the server's loop to wait at drain()",
                        () -> c.reader().isPaused() && waiting[0] != null && !waiting[0].isCalled(),
                        () -> "written " + written[0] + ", " + c.reader(), 4.0).await();
                for (int i = 0; i < 20; i++) {
                    dev.weft.task.Task.deferLater(r, 0).await();
                }
                finish.callback(null);
                return (long) readAll(c.reader(), 100_000).length;
            });
            assertEquals(written[0], received, "every byte written arrives once the peer reads");
            assertTrue(maxBuffer[0] <= 4L * chunkSize, "the server's write buffer stays within a few chunks: "
                    + maxBuffer[0]);
            assertTrue(acceptedWhileNotDrained[0] <= 4L * chunkSize, "bytes accepted by write() while not drained: "
                    + acceptedWhileNotDrained[0]);
        }
    }

    @ContractTest
    void aHandlerThatThrowsAbortsItsConnectionIsLoggedOnceAndTheServerGoesOn(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        LogCapture logs = h.captureLogs();
        ListeningPort port = Streams.startServer(r, (reader, writer) -> {
            byte[] line = reader.readLine().await();
            if (text(line).equals("boom\n")) {
                throw new IllegalStateException("handler bug on purpose");
            }
            writer.write(ascii("fine\n"));
            writer.close();
        }, 0, LOOPBACK);
        List<String> got = runBody(h, r, () -> {
            List<String> out = new ArrayList<>();
            StreamConnection first = open(r, port).await();
            first.writer().write(ascii("boom\n"));
            try {
                out.add("read " + first.reader().read(100).await().length + " bytes");
            } catch (ConnectionClosedException e) {
                out.add("read " + 0 + " bytes"); // an abort may reach the client as a reset
            }
            StreamConnection second = open(r, port).await();
            second.writer().write(ascii("hello\n"));
            out.add(text(second.reader().readLine().await()));
            return out;
        });
        assertEquals(List.of("read 0 bytes", "fine\n"), got, "the failed connection ends with nothing sent; the "
                + "next connection is served");
        List<ILoggingEvent> errors = logs.events().stream()
                .filter(e -> e.getLevel() == Level.ERROR).toList();
        assertEquals(1, errors.size(), "one error logged: " + errors);
        assertTrue(errors.get(0).getFormattedMessage().contains("127.0.0.1"), "with the peer's address: "
                + errors.get(0).getFormattedMessage());
        assertEquals("handler bug on purpose", errors.get(0).getThrowableProxy().getMessage());
    }

    @ContractTest
    void aPeerThatNeverSendsTheRestOfAReadExactlyTimesOutThroughAddTimeout(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        ListeningPort port = Streams.startServer(r, (reader, writer) -> {
            try (writer) {
                try {
                    reader.readExactly(10).addTimeout(0.1, r).await();
                    writer.write(ascii("complete\n"));
                } catch (DeferredTimeoutException e) {
                    writer.write(ascii("timed out with " + reader.buffered() + " bytes\n"));
                }
            }
        }, 0, LOOPBACK);
        String got = runBody(h, r, () -> {
            StreamConnection c = open(r, port).await();
            c.writer().write(ascii("abc"));
            return text(readAll(c.reader(), 100));
        });
        assertEquals("timed out with 3 bytes\n", got);
    }

    @ContractTest
    void aConnectionAbortedByThePeerFailsTheWaitingReadWithTheReason(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        Deferred<Throwable> serverSaw = new Deferred<>();
        ListeningPort port = Streams.startServer(r, (reader, writer) -> {
            try {
                reader.readLine().await();
                serverSaw.callback(null);
            } catch (Exception e) {
                serverSaw.callback(e);
                throw e;
            }
        }, 0, LOOPBACK);
        Throwable seen = runBody(h, r, () -> {
            StreamConnection c = open(r, port).await();
            c.writer().write(ascii("no newline"));
            c.writer().drain().await();
            dev.weft.task.Task.deferLater(r, 0.01).await(); // let the server read the partial line
            c.writer().abort();
            return serverSaw.await();
        });
        assertInstanceOf(ConnectionClosedException.class, seen, "the read fails with the connection's reason");
        assertTrue(!(seen instanceof dev.weft.protocol.ConnectionDone), "a reset is not a clean end of stream: "
                + seen);
    }

    @ContractTest
    void endpointsServeAndConnectStreams(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        String got = runBody(h, r, () -> {
            ListeningPort port = Streams.serve(new TCP4ServerEndpoint(r, 0, 50, LOOPBACK), (reader, writer) -> {
                writer.write(reader.readLine().await());
                writer.close();
            }).await();
            StreamConnection c = Streams.connect(new TCP4ClientEndpoint(r, LOOPBACK, port.getHost().getPort()))
                    .await();
            c.writer().write(ascii("via endpoints\n"));
            String line = text(c.reader().readLine().await());
            port.stopListening().await();
            return line;
        });
        assertEquals("via endpoints\n", got);
    }

    @ContractTest
    void openConnectionToAClosedPortFailsWithTheConnectionError(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        int closed = Net.closedPort();
        Throwable failure = runBody(h, r, () -> {
            try {
                Streams.openConnection(r, LOOPBACK, closed).await();
                return null;
            } catch (ConnectionRefusedException e) {
                return e;
            }
        });
        assertInstanceOf(ConnectionRefusedException.class, failure);
    }
}
