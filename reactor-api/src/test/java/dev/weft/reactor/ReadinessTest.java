package dev.weft.reactor;

import static dev.weft.testing.DeferredAssertions.assertNoResult;
import static dev.weft.testing.DeferredAssertions.failureResultOf;
import static dev.weft.testing.DeferredAssertions.successResultOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionLost;
import dev.weft.testing.MemoryReactor;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one-shot readiness Deferreds on a MemoryReactor: the test plays the loop's readiness calls. */
class ReadinessTest {
    private final MemoryReactor reactor = new MemoryReactor();
    private Pipe pipe;

    @BeforeEach
    void open() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void readableWatchesOnceAndFiresWithTheChannel() throws Exception {
        Deferred<Pipe.SourceChannel> d = Readiness.readable(reactor, pipe.source());
        assertEquals(1, reactor.getReaders().size());
        assertSame(pipe.source(), reactor.getReaders().get(0).channel());
        assertNoResult(d);
        reactor.getReaders().get(0).doRead();
        assertSame(pipe.source(), successResultOf(d));
        assertEquals(List.of(), reactor.getReaders(), "one-shot: removed before it fired");
    }

    @Test
    void writableWatchesOnceAndFiresWithTheChannel() throws Exception {
        Deferred<Pipe.SinkChannel> d = Readiness.writable(reactor, pipe.sink());
        assertEquals(1, reactor.getWriters().size());
        reactor.getWriters().get(0).doWrite();
        assertSame(pipe.sink(), successResultOf(d));
        assertEquals(List.of(), reactor.getWriters());
    }

    @Test
    void cancelRemovesTheWatch() {
        Deferred<Pipe.SourceChannel> r = Readiness.readable(reactor, pipe.source());
        Deferred<Pipe.SinkChannel> w = Readiness.writable(reactor, pipe.sink());
        r.cancel();
        w.cancel();
        assertEquals(List.of(), reactor.getReaders());
        assertEquals(List.of(), reactor.getWriters());
        failureResultOf(r, CancelledException.class);
        failureResultOf(w, CancelledException.class);
    }

    @Test
    void theReactorEndingTheWatchFailsTheDeferredWithItsReason() {
        Deferred<Pipe.SourceChannel> d = Readiness.readable(reactor, pipe.source());
        ConnectionLost reason = new ConnectionLost("reactor shutting down");
        reactor.getReaders().get(0).connectionLost(reason);
        assertSame(reason, failureResultOf(d, ConnectionLost.class));
    }

    @Test
    void aBlockingChannelIsRefusedAtTheCall() throws IOException {
        pipe.source().configureBlocking(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Readiness.readable(reactor, pipe.source()));
        assertTrue(e.getMessage().startsWith("channel must be in non-blocking mode"), e.getMessage());
        assertEquals(List.of(), reactor.getReaders());
        assertEquals("channel must not be null", assertThrows(NullPointerException.class,
                () -> Readiness.writable(reactor, null)).getMessage());
        assertEquals("fds must not be null", assertThrows(NullPointerException.class,
                () -> Readiness.writable(null, pipe.sink())).getMessage());
    }
}
