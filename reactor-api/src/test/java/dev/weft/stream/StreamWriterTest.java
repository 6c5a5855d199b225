package dev.weft.stream;

import static dev.weft.testing.DeferredAssertions.assertNoResult;
import static dev.weft.testing.DeferredAssertions.failureResultOf;
import static dev.weft.testing.DeferredAssertions.successResultOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import dev.weft.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer on a StringTransport: the test plays the transport's flow control by hand. */
class StreamWriterTest {
    private StringTransport transport;
    private Protocol protocol;
    private StreamWriter writer;

    @BeforeEach
    void connect() {
        protocol = Streams.protocol((r, w) -> writer = w);
        transport = new StringTransport();
        protocol.makeConnection(transport);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private PushProducer flowControl() {
        assertTrue(transport.isStreaming(), "the writer registers a streaming producer");
        return (PushProducer) transport.producer();
    }

    @Test
    void writesReachTheTransportInOrder() {
        writer.write(bytes("a"));
        writer.writeLines(List.of(bytes("b"), bytes("c")));
        assertEquals("abc", transport.valueAsString());
        assertSame(transport, writer.transport());
        assertEquals(StringTransport.DEFAULT_PEER, writer.getPeer());
        assertEquals(StringTransport.DEFAULT_HOST, writer.getHost());
    }

    @Test
    void drainFiresAtOnceUnderTheHighWaterMarkAndOtherwiseWhenTheTransportResumesTheWriter() {
        assertNull(successResultOf(writer.drain()));
        flowControl().pauseProducing();
        Deferred<Void> first = writer.drain();
        Deferred<Void> second = writer.drain();
        assertNoResult(first);
        assertNoResult(second);
        flowControl().resumeProducing();
        assertNull(successResultOf(first));
        assertNull(successResultOf(second));
        assertNull(successResultOf(writer.drain()));
    }

    @Test
    void aCancelledDrainIsForgotten() {
        flowControl().pauseProducing();
        Deferred<Void> d = writer.drain();
        d.cancel();
        flowControl().resumeProducing();
        failureResultOf(d, dev.weft.defer.CancelledException.class);
    }

    @Test
    void drainFailsWithTheReasonOnceTheConnectionIsLost() {
        flowControl().pauseProducing();
        Deferred<Void> waiting = writer.drain();
        ConnectionLost reason = new ConnectionLost("reset");
        protocol.connectionLost(reason);
        assertSame(reason, failureResultOf(waiting, ConnectionLost.class));
        assertSame(reason, failureResultOf(writer.drain(), ConnectionLost.class));
        writer.write(bytes("dropped")); // no error: the transport drops writes once the connection is lost
        assertTrue(writer.isClosing());
    }

    @Test
    void closeUnregistersTheFlowControlThenLosesTheConnectionOnce() {
        writer.close();
        assertNull(transport.producer(), "loseConnection waits for the producer to be unregistered");
        assertTrue(transport.isDisconnecting());
        assertTrue(writer.isClosing());
        writer.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.write(bytes("x")));
        assertEquals("write() after close(): this side of the stream is shut", e.getMessage());
    }

    @Test
    void writeEofHalfClosesAndRefusesLaterWrites() {
        writer.write(bytes("last"));
        writer.writeEof();
        assertTrue(transport.isWriteDisconnecting());
        assertFalse(transport.isDisconnecting(), "the reading side stays open");
        assertThrows(IllegalStateException.class, () -> writer.write(bytes("x")));
        writer.writeEof();
    }

    @Test
    void abortAbortsTheTransport() {
        writer.abort();
        assertTrue(transport.isAborting());
    }

    @Test
    void waitClosedFiresOnACleanCloseAndFailsOnAnError() {
        Deferred<Void> d = writer.waitClosed();
        assertNoResult(d);
        protocol.connectionLost(new ConnectionDone("closed"));
        assertNull(successResultOf(d));
        assertNull(successResultOf(writer.waitClosed()));

        connect();
        Deferred<Void> failed = writer.waitClosed();
        ConnectionLost reason = new ConnectionLost("reset");
        protocol.connectionLost(reason);
        assertSame(reason, failureResultOf(failed, ConnectionLost.class));
    }

    @Test
    void waitClosedAfterThisSideAbortedFiresWithNull() {
        writer.abort();
        protocol.connectionLost(new ConnectionAborted("aborted"));
        assertNull(successResultOf(writer.waitClosed()));
    }

    @Test
    void badArgumentsFailAtTheCall() {
        assertEquals("data must not be null",
                assertThrows(NullPointerException.class, () -> writer.write(null)).getMessage());
        assertEquals("chunks must not contain null", assertThrows(NullPointerException.class,
                () -> writer.writeLines(java.util.Arrays.asList(bytes("a"), null))).getMessage());
        assertEquals("", transport.valueAsString(), "nothing written by a refused writeLines");
    }
}
