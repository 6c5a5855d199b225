package dev.weft.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import dev.weft.endpoints.ClientEndpoint;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.task.Clock;
import dev.weft.testing.StringTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** ClientService with Twisted's state machine, driven by a {@link Clock} and a scripted endpoint. */
class ClientServiceTest {

    private static final InetSocketAddress PEER = StringTransport.DEFAULT_PEER;

    /** An endpoint whose attempts the test settles: each {@code connect} is recorded with its factory. */
    private static final class ScriptedEndpoint implements ClientEndpoint {
        final List<Deferred<Protocol>> attempts = new ArrayList<>();
        final List<Factory> factories = new ArrayList<>();
        final List<Double> times = new ArrayList<>();
        /** The protocols the connected attempts were fired with (the service's wrappers), in order. */
        final List<Protocol> connected = new ArrayList<>();
        int cancelled;
        private final Clock clock;

        ScriptedEndpoint(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Deferred<Protocol> connect(Factory factory) {
            Deferred<Protocol> d = new Deferred<>(x -> cancelled++);
            attempts.add(d);
            factories.add(factory);
            times.add(clock.seconds());
            return d;
        }

        /** The last attempt connects: a protocol from its factory over a new StringTransport. */
        StringTransport succeed() {
            Protocol p = factories.get(factories.size() - 1).buildProtocol(PEER);
            StringTransport t = new StringTransport();
            p.makeConnection(t);
            connected.add(p);
            attempts.get(attempts.size() - 1).callback(p);
            return t;
        }

        void fail() {
            attempts.get(attempts.size() - 1).errback(new ConnectionRefusedException("refused", null));
        }
    }

    private static final class Recording extends Protocol {
        final List<String> events = new ArrayList<>();

        @Override
        public void connectionMade() {
            events.add("made");
        }

        @Override
        public void connectionLost(Throwable reason) {
            events.add("lost");
        }
    }

    private final Clock clock = new Clock();
    private final ScriptedEndpoint endpoint = new ScriptedEndpoint(clock);
    private final List<Recording> built = new ArrayList<>();
    private final Factory factory = Factory.forProtocol(() -> {
        Recording r = new Recording();
        built.add(r);
        return r;
    });
    private final ClientService service = new ClientService(endpoint, factory, clock,
            RetryPolicy.backoff(1.0, 60.0, 1.5, () -> 0));

    @Test
    void whenConnectedFiresWithTheFactorysProtocolNowOrWhenItConnects() {
        Deferred<Protocol> early = service.whenConnected();
        service.startService();
        assertEquals(1, endpoint.attempts.size(), "startService connects at once");
        assertFalse(early.isCalled());
        endpoint.succeed();
        AtomicReference<Protocol> got = new AtomicReference<>();
        early.addCallback(p -> {
            got.set(p);
            return null;
        });
        assertSame(built.get(0), got.get(), "whenConnected gives the user's protocol, not a wrapper");
        AtomicReference<Protocol> now = new AtomicReference<>();
        service.whenConnected().addCallback(p -> {
            now.set(p);
            return null;
        });
        assertSame(built.get(0), now.get(), "connected: whenConnected has fired already");
        assertEquals(List.of("made"), built.get(0).events);
    }

    @Test
    void failedAttemptsAreRetriedWithTwistedsBackoff() {
        service.startService();
        endpoint.fail();
        clock.advance(1.5);
        endpoint.fail();
        clock.advance(2.25);
        endpoint.fail();
        clock.advance(3.375);
        endpoint.succeed();
        assertEquals(List.of(0.0, 1.5, 3.75, 7.125), endpoint.times, "delays 1*1.5^n after the n-th failure");
        clock.advance(100);
        assertEquals(4, endpoint.attempts.size(), "connected: no more attempts");
    }

    @Test
    void aLostConnectionIsReconnectedAfterTheFirstDelayAgain() {
        service.startService();
        endpoint.fail();
        clock.advance(1.5);
        StringTransport t = endpoint.succeed();
        // the connection is lost: the count of failures restarted at the connection
        Recording first = built.get(0);
        t.setDisconnected();
        lose(0);
        assertEquals(List.of("made", "lost"), first.events);
        clock.advance(1.49);
        assertEquals(2, endpoint.attempts.size());
        clock.advance(0.01);
        assertEquals(3, endpoint.attempts.size(), "reconnects policy(1) = 1.5 s after the loss");
    }

    /** Loses the n-th connection, as its transport would: through the protocol the endpoint was fired with. */
    private void lose(int n) {
        endpoint.connected.get(n).connectionLost(new ConnectionDone("closed"));
    }

    @Test
    void stopServiceClosesTheConnectionAndStopsRetrying() {
        service.startService();
        StringTransport t = endpoint.succeed();
        Deferred<Void> stopped = service.stopService();
        assertTrue(t.isDisconnecting(), "stopService loses the connection");
        assertFalse(stopped.isCalled(), "the stop waits for the connection to close");
        lose(0);
        assertTrue(stopped.isCalled());
        assertFalse(service.isRunning());
        clock.advance(1000);
        assertEquals(1, endpoint.attempts.size(), "no attempt after the stop");
        Deferred<Protocol> after = service.whenConnected();
        assertTrue(after.isCalled());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        after.addErrback(e -> {
            failure.set(e);
            return null;
        });
        assertInstanceOf(CancelledException.class, failure.get(), "stopped: whenConnected fails at once");
    }

    @Test
    void stopWhileConnectingCancelsTheAttemptAndTheWaiters() {
        service.startService();
        Deferred<Protocol> waiting = service.whenConnected();
        Deferred<Void> stopped = service.stopService();
        assertEquals(1, endpoint.cancelled, "the attempt under way is cancelled");
        assertTrue(stopped.isCalled(), "nothing to close: the stop is done");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        waiting.addErrback(e -> {
            failure.set(e);
            return null;
        });
        assertInstanceOf(CancelledException.class, failure.get());
    }

    @Test
    void stopWhileWaitingCancelsTheRetry() {
        service.startService();
        endpoint.fail();
        assertTrue(service.stopService().isCalled());
        clock.advance(1000);
        assertEquals(1, endpoint.attempts.size());
        assertTrue(clock.getDelayedCalls().isEmpty(), "the retry is cancelled");
    }

    @Test
    void whenConnectedWithAFailureLimitFailsAfterThatManyFailures() {
        service.startService();
        Deferred<Protocol> two = service.whenConnected(2);
        Deferred<Protocol> forever = service.whenConnected();
        endpoint.fail();
        assertFalse(two.isCalled());
        clock.advance(1.5);
        endpoint.fail();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        two.addErrback(e -> {
            failure.set(e);
            return null;
        });
        assertInstanceOf(ConnectionRefusedException.class, failure.get(), "the second failure is delivered");
        assertFalse(forever.isCalled(), "without a limit, failures are not delivered");
        assertThrows(IllegalArgumentException.class, () -> service.whenConnected(-1));
    }

    @Test
    void aCustomPolicyIsAskedWithTheCountOfFailures() {
        List<Integer> asked = new ArrayList<>();
        ClientService s = new ClientService(endpoint, factory, clock, n -> {
            asked.add(n);
            return 10.0 * n;
        });
        s.startService();
        endpoint.fail();
        clock.advance(10);
        endpoint.fail();
        clock.advance(20);
        assertEquals(List.of(1, 2), asked);
        assertEquals(List.of(0.0, 10.0, 30.0), endpoint.times);
    }

    @Test
    void theDefaultPolicyIsTwistedsBackoffWithJitter() {
        RetryPolicy p = RetryPolicy.backoff();
        for (int i = 0; i < 50; i++) {
            double d = p.delaySeconds(1);
            assertTrue(d >= 1.5 && d < 2.5, "1 * 1.5 plus jitter in [0, 1): " + d);
        }
        assertEquals(60.0, RetryPolicy.backoff(1, 60, 1.5, () -> 0).delaySeconds(1000), "capped at maxDelay");
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.backoff(1, 60, 0.5, () -> 0));
    }

    @Test
    void drivenByAMemoryReactorClockThroughARealEndpoint() {
        dev.weft.testing.MemoryReactorClock r = new dev.weft.testing.MemoryReactorClock();
        ClientService s = new ClientService(new dev.weft.endpoints.TCP4ClientEndpoint(r, "127.0.0.1", 6379),
                factory, r, RetryPolicy.backoff(1.0, 60.0, 1.5, () -> 0));
        s.startService();
        r.connectors().get(0).failConnection(new ConnectionRefusedException("refused", null));
        r.advance(1.49);
        assertEquals(1, r.connectors().size());
        r.advance(0.01);
        assertEquals(2, r.connectors().size(), "retried 1.5 s later, on the reactor's clock");
        StringTransport t = new StringTransport();
        r.connectors().get(1).completeConnection(t);
        AtomicReference<Protocol> got = new AtomicReference<>();
        s.whenConnected().addCallback(p -> {
            got.set(p);
            return null;
        });
        assertSame(built.get(0), got.get());
        Deferred<Void> stopped = s.stopService();
        assertTrue(t.isDisconnecting());
        r.connectors().get(1).loseConnection(new ConnectionDone("closed"));
        assertTrue(stopped.isCalled(), "the stop fires once the connection is lost");
        assertEquals(List.of("made", "lost"), built.get(0).events);
        r.advance(100);
        assertEquals(2, r.connectors().size());
    }
}
