package dev.weft.stream;

import static dev.weft.testing.DeferredAssertions.assertNoResult;
import static dev.weft.testing.DeferredAssertions.failureResultOf;
import static dev.weft.testing.DeferredAssertions.successResultOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredTimeoutException;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.task.Clock;
import dev.weft.testing.StringTransport;
import dev.weft.testing.StringTransport.ProducerState;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reader driven by hand through its protocol and a StringTransport: no sockets, no real time. */
class StreamReaderTest {
    private static final int LIMIT = 16;

    private StringTransport transport;
    private Protocol protocol;
    private StreamReader reader;

    @BeforeEach
    void connect() {
        protocol = Streams.protocol((r, w) -> reader = r, LIMIT);
        transport = new StringTransport();
        protocol.makeConnection(transport);
    }

    private void feed(String s) {
        protocol.dataReceived(bytes(s));
    }

    private void feedEof() {
        ((HalfCloseableProtocol) protocol).readConnectionLost();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(Deferred<byte[]> d) {
        return new String(successResultOf(d), StandardCharsets.US_ASCII);
    }

    @Test
    void readOnBufferedDataReturnsAFiredDeferredOfAtMostN() {
        feed("hello");
        assertEquals("hel", text(reader.read(3)));
        assertEquals("lo", text(reader.read(10)));
        assertEquals("", text(reader.read(0)));
    }

    @Test
    void readWaitsForDataAndReturnsTheFirstChunk() {
        Deferred<byte[]> d = reader.read(100);
        assertNoResult(d);
        feed("ab");
        assertEquals("ab", text(d));
    }

    @Test
    void readAtEndOfStreamReturnsEmptyAgainAndAgain() {
        feed("x");
        feedEof();
        assertFalse(reader.atEof(), "a byte is still buffered");
        assertEquals("x", text(reader.read(10)));
        assertTrue(reader.atEof());
        assertEquals("", text(reader.read(10)));
        assertEquals("", text(reader.read(10)));
        assertEquals("", text(reader.readLine()));
    }

    @Test
    void readMinusOneReadsToTheEndOfStream() {
        Deferred<byte[]> all = reader.read(-1);
        feed("abc");
        feed("def");
        assertNoResult(all);
        feedEof();
        assertEquals("abcdef", text(all));
    }

    @Test
    void readExactlyGathersChunks() {
        Deferred<byte[]> d = reader.readExactly(5);
        feed("ab");
        assertNoResult(d);
        feed("cdefg");
        assertEquals("abcde", text(d));
        assertEquals("fg", text(reader.read(10)));
    }

    @Test
    void readExactlyAtEndOfStreamFailsWithThePartialData() {
        Deferred<byte[]> d = reader.readExactly(5);
        feed("abc");
        protocol.connectionLost(new ConnectionDone("closed"));
        IncompleteReadException e = (IncompleteReadException) failureResultOf(d, IncompleteReadException.class);
        assertArrayEquals(bytes("abc"), e.partial());
        assertEquals(OptionalInt.of(5), e.expected());
        assertTrue(e.getMessage().contains("3 of the 5"), e.getMessage());
        IncompleteReadException again = (IncompleteReadException) failureResultOf(reader.readExactly(1),
                IncompleteReadException.class);
        assertArrayEquals(new byte[0], again.partial(), "after the end of stream was consumed");
    }

    @Test
    void readLineReturnsEachLineWithItsNewlineThenTheLastUnterminatedOne() {
        feed("one\ntw");
        assertEquals("one\n", text(reader.readLine()));
        Deferred<byte[]> two = reader.readLine();
        assertNoResult(two);
        feed("o\nthree");
        assertEquals("two\n", text(two));
        Deferred<byte[]> three = reader.readLine();
        assertNoResult(three);
        feedEof();
        assertEquals("three", text(three));
        assertEquals("", text(reader.readLine()));
    }

    @Test
    void aLineOverTheLimitFailsAndIsDroppedUpToItsNewline() {
        feed("0123456789abcdefXYZ\nnext\n");
        LimitOverrunException e = (LimitOverrunException) failureResultOf(reader.readLine(),
                LimitOverrunException.class);
        assertEquals(LIMIT, e.limit());
        assertEquals(19, e.consumed());
        assertEquals("next\n", text(reader.readLine()), "the long line is dropped, the next one is read");
    }

    @Test
    void aLineWithoutNewlineOverTheLimitFailsWhenTheLimitIsPassed() {
        Deferred<byte[]> d = reader.readLine();
        feed("0123456789abcdef");
        assertNoResult(d);
        feed("g");
        LimitOverrunException e = (LimitOverrunException) failureResultOf(d, LimitOverrunException.class);
        assertTrue(e.getMessage().contains("no separator within the limit"), e.getMessage());
        assertEquals(0, reader.buffered(), "readLine drops what it looked at");
    }

    @Test
    void readUntilOverTheLimitFailsAndKeepsTheData() {
        feed("0123456789abcdefgh--");
        failureResultOf(reader.readUntil(bytes("--")), LimitOverrunException.class);
        assertEquals(20, reader.buffered(), "readUntil leaves the bytes to be read some other way");
        assertEquals("0123456789abcdefgh--", text(reader.readExactly(20)));
    }

    @Test
    void readUntilFindsASeparatorSplitAcrossChunks() {
        Deferred<byte[]> d = reader.readUntil(bytes("\r\n"));
        feed("PING\r");
        assertNoResult(d);
        feed("\nrest");
        assertEquals("PING\r\n", text(d));
        IncompleteReadException e = (IncompleteReadException) failureResultOf(readUntilAtEof(),
                IncompleteReadException.class);
        assertArrayEquals(bytes("rest"), e.partial());
        assertEquals(OptionalInt.empty(), e.expected());
    }

    @Test
    void readUntilFedOneByteAtATimeFindsAMultiByteSeparator() {
        Deferred<byte[]> d = reader.readUntil(bytes("-=-"));
        for (byte b : bytes("ab-=x-=-=-rest")) {
            protocol.dataReceived(new byte[] {b});
        }
        assertEquals("ab-=x-=-", text(d));
        assertEquals("=-rest", text(reader.read(100)));
    }

    private Deferred<byte[]> readUntilAtEof() {
        Deferred<byte[]> d = reader.readUntil(bytes("\r\n"));
        feedEof();
        return d;
    }

    @Test
    void aSecondReadWhileOneWaitsIsRefused() {
        Deferred<byte[]> first = reader.readExactly(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, reader::readLine);
        assertTrue(e.getMessage().contains("readLine()") && e.getMessage().contains("readExactly(4)"),
                e.getMessage());
        feed("abcd");
        assertEquals("abcd", text(first));
    }

    @Test
    void aCancelledReadLeavesItsBytesForTheNextRead() {
        Deferred<byte[]> d = reader.readExactly(4);
        feed("ab");
        d.cancel();
        feed("cd");
        assertEquals("abcd", text(reader.readExactly(4)));
    }

    @Test
    void aReadExactlyThePeerNeverCompletesTimesOutOnTheClock() {
        Clock clock = new Clock();
        Deferred<byte[]> d = reader.readExactly(10).addTimeout(5, clock);
        feed("abc");
        clock.advance(4.9);
        assertNoResult(d);
        clock.advance(0.1);
        failureResultOf(d, DeferredTimeoutException.class);
        assertEquals("abc", text(reader.read(10)), "what came before the timeout stays readable");
    }

    @Test
    void unreadDataOverTheLimitPausesTheTransportUntilReadBelowIt() {
        feed("0123456789");
        assertEquals(ProducerState.PRODUCING, transport.producerState());
        feed("abcdefg");
        assertEquals(ProducerState.PAUSED, transport.producerState(), "17 bytes unread, limit 16");
        assertTrue(reader.isPaused());
        assertEquals("0", text(reader.read(1)));
        assertEquals(ProducerState.PRODUCING, transport.producerState(), "16 bytes unread: resumed");
    }

    @Test
    void aWaitingReadKeepsTheTransportReadingPastTheLimit() {
        Deferred<byte[]> d = reader.readExactly(40);
        feed("0123456789abcdefghij");
        assertEquals(ProducerState.PRODUCING, transport.producerState(), "the read needs more than the limit");
        feed("0123456789abcdefghij");
        assertEquals(40, successResultOf(d).length);
    }

    @Test
    void aConnectionLostWithAnErrorFailsTheWaitingReadAndTheNextOnes() {
        Deferred<byte[]> d = reader.readLine();
        ConnectionLost reason = new ConnectionLost("reset", new java.io.IOException("Connection reset"));
        protocol.connectionLost(reason);
        assertSame(reason, failureResultOf(d, ConnectionLost.class));
        assertSame(reason, failureResultOf(reader.read(1), ConnectionLost.class));
        assertSame(reason, reader.exception());
        assertFalse(reader.atEof());
    }

    @Test
    void badArgumentsFailAtTheCallNamingTheArgument() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader.read(-2)).getMessage()
                .startsWith("n must be"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader.readExactly(-1)).getMessage()
                .startsWith("n must"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader.readUntil(new byte[0]))
                .getMessage().startsWith("separator must"));
        assertTrue(assertThrows(NullPointerException.class, () -> reader.readUntil(null)).getMessage()
                .startsWith("separator must"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Streams.protocol((r, w) -> { }, 0))
                .getMessage().startsWith("limit must"));
        assertTrue(assertThrows(NullPointerException.class, () -> Streams.protocol(null)).getMessage()
                .startsWith("handler must"));
    }
}
