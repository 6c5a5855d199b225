package dev.weft.stream;

import static dev.weft.testing.DeferredAssertions.assertNoResult;
import static dev.weft.testing.DeferredAssertions.successResultOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.task.Clock;
import dev.weft.task.Task;
import dev.weft.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Handlers run as coroutines from connectionMade, driven deterministically: StringTransport and Clock. */
class StreamHandlerTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(StreamProtocol.class);

    @BeforeEach
    void listen() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(log);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private List<ILoggingEvent> errors() {
        return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    }

    @Test
    void aCoroutineLoopAnswersEachLineAndClosesAtEndOfStream() {
        Protocol p = Streams.protocol((reader, writer) -> {
            try (writer) {
                byte[] line;
                while ((line = reader.readLine().await()).length > 0) {
                    writer.write(new String(line, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)
                            .getBytes(StandardCharsets.US_ASCII));
                    writer.drain().await();
                }
            }
        });
        StringTransport t = new StringTransport();
        p.makeConnection(t);
        p.dataReceived(bytes("hello\nwor"));
        assertEquals("HELLO\n", t.valueAsString());
        p.dataReceived(bytes("ld\n"));
        assertEquals("HELLO\nWORLD\n", t.valueAsString());
        assertFalse(t.isDisconnecting());
        ((HalfCloseableProtocol) p).readConnectionLost();
        assertTrue(t.isDisconnecting(), "the handler's try-with-resources closed the writer");
        assertEquals(List.of(), errors());
    }

    @Test
    void aHandlerThatThrowsAbortsItsConnectionAndIsLoggedOnceWithThePeer() {
        IllegalStateException bug = new IllegalStateException("handler bug");
        Protocol p = Streams.protocol((reader, writer) -> {
            reader.readLine().await();
            throw bug;
        });
        StringTransport t = StringTransport.withDisconnection(p);
        p.makeConnection(t);
        assertFalse(t.isAborting());
        p.dataReceived(bytes("go\n"));
        assertTrue(t.isAborting(), "the connection is aborted");
        List<ILoggingEvent> errors = errors();
        assertEquals(1, errors.size(), "logged once: " + errors);
        assertTrue(errors.get(0).getFormattedMessage().contains(StringTransport.DEFAULT_PEER.toString()),
                errors.get(0).getFormattedMessage());
        assertSame(bug, ((ch.qos.logback.classic.spi.ThrowableProxy) errors.get(0).getThrowableProxy())
                .getThrowable());
    }

    @Test
    void aHandlerEndedByTheLossOfItsConnectionIsNotAnError() {
        Protocol p = Streams.protocol((reader, writer) -> reader.readExactly(10).await());
        StringTransport t = new StringTransport();
        p.makeConnection(t);
        p.connectionLost(new ConnectionLost("reset"));
        assertEquals(List.of(), errors());
    }

    @Test
    void aReadExactlyThatNeverCompletesTimesOutOnAClockAndTheHandlerGoesOn() {
        Clock clock = new Clock();
        Protocol p = Streams.protocol((reader, writer) -> {
            try {
                reader.readExactly(8).addTimeout(30, clock).await();
                writer.write(bytes("got it"));
            } catch (dev.weft.defer.DeferredTimeoutException e) {
                writer.write(bytes("timed out after " + reader.buffered() + " bytes"));
                writer.close();
            }
        });
        StringTransport t = new StringTransport();
        p.makeConnection(t);
        p.dataReceived(bytes("abc"));
        clock.advance(29);
        assertEquals("", t.valueAsString());
        clock.advance(1);
        assertEquals("timed out after 3 bytes", t.valueAsString());
        assertTrue(t.isDisconnecting());
    }

    @Test
    void aHandlerSleepsOnTheClockBetweenWrites() {
        Clock clock = new Clock();
        Protocol p = Streams.protocol((reader, writer) -> {
            for (int i = 0; i < 3; i++) {
                writer.write(bytes("tick " + i + "\n"));
                Task.deferLater(clock, 1.0).await();
            }
            writer.close();
        });
        StringTransport t = new StringTransport();
        p.makeConnection(t);
        assertEquals("tick 0\n", t.valueAsString());
        clock.pump(1.0, 1.0, 1.0);
        assertEquals("tick 0\ntick 1\ntick 2\n", t.valueAsString());
        assertTrue(t.isDisconnecting());
    }

    @Test
    void aWriterThatAwaitsDrainWritesNoMoreUntilTheTransportResumesIt() {
        int[] written = {0};
        Protocol p = Streams.protocol((reader, writer) -> {
            for (int i = 0; i < 10; i++) {
                writer.write(new byte[1024]);
                written[0]++;
                writer.drain().await();
            }
        });
        StringTransport t = new StringTransport();
        p.makeConnection(t);
        assertEquals(10, written[0], "never paused: all ten written at once");
    }

    @Test
    void aPausedTransportHoldsTheWritingLoopAtItsDrain() {
        int[] written = {0};
        StringTransport t = new StringTransport();
        Protocol p = Streams.protocol((reader, writer) -> {
            ((dev.weft.protocol.PushProducer) t.producer()).pauseProducing(); // the buffer is over high water
            for (int i = 0; i < 10; i++) {
                writer.write(new byte[1024]);
                written[0]++;
                writer.drain().await();
            }
        });
        p.makeConnection(t);
        assertEquals(1, written[0], "one write, then the loop waits at drain()");
        ((dev.weft.protocol.PushProducer) t.producer()).resumeProducing();
        assertEquals(10, written[0]);
    }
}
