package dev.weft.protocol.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.task.Clock;
import dev.weft.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** Twisted's protocol policies, driven by a Clock over StringTransports. */
class PoliciesTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Connects a protocol built by {@code f} to a new StringTransport whose loseConnection ends it. */
    private static StringTransport connect(Factory f, List<Protocol> built) {
        Protocol p = f.buildProtocol(StringTransport.DEFAULT_PEER);
        if (p == null) {
            return null;
        }
        built.add(p);
        StringTransport t = StringTransport.withDisconnection(p);
        p.makeConnection(t);
        return t;
    }

    @Test
    void aWrapperPassesEveryEventToTheWrappedProtocolAndItsTransportCallsToTheConnection() {
        Protocol wrapped = mock(Protocol.class);
        WrappingFactory f = new WrappingFactory(Factory.forProtocol(() -> wrapped));
        ProtocolWrapper w = (ProtocolWrapper) f.buildProtocol(StringTransport.DEFAULT_PEER);
        StringTransport t = new StringTransport();
        w.makeConnection(t);
        assertEquals(List.of(w), List.copyOf(f.protocols()), "a connected wrapper is tracked");
        byte[] data = ascii("hi");
        w.dataReceived(data);
        ConnectionDone done = new ConnectionDone("bye");
        w.connectionLost(done);
        InOrder order = inOrder(wrapped);
        order.verify(wrapped).makeConnection(w);
        order.verify(wrapped).dataReceived(data);
        order.verify(wrapped).connectionLost(done);
        assertTrue(f.protocols().isEmpty(), "a lost wrapper is forgotten");

        w.write(ascii("out"));
        w.writeSequence(List.of(ascii(" and"), ascii(" more")));
        assertEquals("out and more", t.valueAsString(), "the wrapped protocol's writes reach the connection");
        w.loseConnection();
        assertTrue(t.isDisconnecting() && w.isDisconnecting());
    }

    @Test
    void aRefusedConnectionIsNotWrapped() {
        assertNull(new WrappingFactory(Factory.forProtocol(() -> null)).buildProtocol(StringTransport.DEFAULT_PEER));
    }

    @Test
    void startingAndStoppingReachTheWrappedFactory() {
        List<String> log = new ArrayList<>();
        Factory inner = new Factory() {
            @Override
            protected void startFactory() {
                log.add("start");
            }

            @Override
            protected void stopFactory() {
                log.add("stop");
            }
        };
        WrappingFactory f = new WrappingFactory(inner);
        f.doStart();
        f.doStop();
        assertEquals(List.of("start", "stop"), log);
    }

    /** A line protocol that counts lines and records its end. */
    static final class Lines extends LineReceiver {
        final List<String> lines = new ArrayList<>();
        Throwable lost;

        @Override
        public void lineReceived(byte[] line) {
            lines.add(new String(line, StandardCharsets.US_ASCII));
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost = reason;
        }
    }

    @Test
    void timeoutFactoryClosesAnIdleLineReceiverAndActivityPostponesIt() {
        Clock clock = new Clock();
        Lines lines = new Lines();
        TimeoutFactory f = new TimeoutFactory(Factory.forProtocol(() -> lines), 10, clock);
        List<Protocol> built = new ArrayList<>();
        StringTransport t = connect(f, built);
        clock.advance(9);
        built.get(0).dataReceived(ascii("one\r\n"));
        clock.advance(9);
        lines.sendLine(ascii("reply"));
        clock.advance(9);
        assertFalse(t.isDisconnecting(), "reads and writes reset the countdown");
        clock.advance(1);
        assertTrue(t.isDisconnecting(), "10 idle seconds close the connection");
        assertTrue(lines.lost instanceof ConnectionDone, String.valueOf(lines.lost));
        assertEquals(List.of("one"), lines.lines);
        assertEquals(List.of(), clock.getDelayedCalls(), "nothing left scheduled");
        assertThrows(IllegalArgumentException.class, () -> new TimeoutFactory(Factory.forProtocol(Lines::new), 0,
                clock));
    }

    @Test
    void idleTimeoutIsTwistedsTimeoutMixin() {
        Clock clock = new Clock();
        List<Double> fired = new ArrayList<>();
        IdleTimeout idle = new IdleTimeout(clock, () -> fired.add(clock.seconds()));
        assertEquals(OptionalDouble.empty(), idle.setTimeout(5));
        clock.advance(4);
        idle.resetTimeout();
        clock.advance(4);
        assertEquals(List.of(), fired, "reset restarts the countdown");
        assertEquals(OptionalDouble.of(5), idle.setTimeout(2), "setTimeout returns the previous period");
        clock.advance(2);
        assertEquals(List.of(10.0), fired);
        assertFalse(idle.isActive());
        idle.resetTimeout();
        clock.advance(100);
        assertEquals(List.of(10.0), fired, "reset after expiry does nothing, as in Twisted");
        idle.setTimeout(1);
        assertEquals(OptionalDouble.of(1), idle.cancelTimeout());
        clock.advance(5);
        assertEquals(List.of(10.0), fired, "cancelled");
        assertThrows(IllegalArgumentException.class, () -> idle.setTimeout(-1));

        Lines lines = new Lines();
        StringTransport t = StringTransport.withDisconnection(lines);
        lines.makeConnection(t);
        IdleTimeout closing = IdleTimeout.losingConnection(clock, lines);
        closing.setTimeout(3);
        clock.advance(3);
        assertTrue(t.isDisconnected(), "the default timeoutConnection loses the connection");
    }

    @Test
    void limitTotalConnectionsRefusesOrOverflowsBeyondTheLimitAndCountsLostOnes() {
        List<Protocol> built = new ArrayList<>();
        LimitTotalConnectionsFactory refusing = new LimitTotalConnectionsFactory(Factory.forProtocol(Lines::new), 2);
        StringTransport a = connect(refusing, built);
        connect(refusing, built);
        assertNull(connect(refusing, built), "the third connection is refused");
        a.loseConnection();
        assertEquals(1, refusing.connectionCount());
        assertTrue(connect(refusing, built) != null, "a lost connection frees a place");

        Lines busy = new Lines();
        LimitTotalConnectionsFactory overflowing = new LimitTotalConnectionsFactory(Factory.forProtocol(Lines::new),
                1, Factory.forProtocol(() -> busy));
        built.clear();
        connect(overflowing, built);
        connect(overflowing, built);
        assertSame(busy, ((ProtocolWrapper) built.get(1)).wrappedProtocol(), "beyond the limit: the overflow "
                + "protocol");
        assertEquals(2, overflowing.connectionCount());
        assertThrows(IllegalArgumentException.class, () -> new LimitTotalConnectionsFactory(
                Factory.forProtocol(Lines::new), 0));
    }

    @Test
    void throttlingPausesReadsOverTheLimitForTheExcessTimeAndCapsConnections() {
        Clock clock = new Clock();
        List<Protocol> built = new ArrayList<>();
        ThrottlingFactory f = new ThrottlingFactory(Factory.forProtocol(Lines::new), clock, 2, 100,
                ThrottlingFactory.UNLIMITED);
        StringTransport t = connect(f, built);
        connect(f, built);
        assertNull(connect(f, built), "maxConnectionCount 2: the third is refused");
        built.get(0).dataReceived(new byte[250]);
        clock.advance(1);
        assertEquals(StringTransport.ProducerState.PAUSED, t.producerState(), "250 bytes in a second over a 100 "
                + "B/s limit pause reading");
        clock.advance(1.4);
        assertEquals(StringTransport.ProducerState.PAUSED, t.producerState());
        clock.advance(0.1);
        assertEquals(StringTransport.ProducerState.PRODUCING, t.producerState(), "resumed after 250/100 - 1 = 1.5 s");
        t.loseConnection();
        built.get(1).transport().loseConnection();
        assertEquals(0, f.connectionCount());
        assertEquals(List.of(), clock.getDelayedCalls(), "the checks stop with the last connection");
    }

    @Test
    void throttlingWritesPausesTheRegisteredProducer() {
        Clock clock = new Clock();
        List<Protocol> built = new ArrayList<>();
        ThrottlingFactory f = new ThrottlingFactory(Factory.forProtocol(Lines::new), clock, Integer.MAX_VALUE,
                ThrottlingFactory.UNLIMITED, 10);
        connect(f, built);
        Lines lines = (Lines) ((ProtocolWrapper) built.get(0)).wrappedProtocol();
        PushProducer producer = mock(PushProducer.class);
        lines.transport().registerProducer(producer, true);
        lines.transport().write(new byte[30]);
        clock.advance(1);
        verify(producer).pauseProducing();
        verify(producer, never()).resumeProducing();
        clock.advance(2);
        verify(producer).resumeProducing();
    }
}
