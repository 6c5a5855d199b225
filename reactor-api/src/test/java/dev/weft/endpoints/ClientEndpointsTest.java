package dev.weft.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectCancelledException;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.ConnectionRefusedException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.testing.MemoryConnector;
import dev.weft.testing.MemoryReactorClock;
import dev.weft.testing.StringTransport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Client and server endpoints over a {@link MemoryReactorClock}: what fires when, cancel, and Happy Eyeballs. */
class ClientEndpointsTest {

    private final MemoryReactorClock reactor = new MemoryReactorClock();
    private final List<Protocol> built = new ArrayList<>();
    private final Factory factory = Factory.forProtocol(() -> {
        Protocol p = new Protocol() {
        };
        built.add(p);
        return p;
    });

    private static <T> T result(Deferred<T> d) {
        AtomicReference<T> r = new AtomicReference<>();
        AtomicReference<Throwable> f = new AtomicReference<>();
        d.addCallbacks(x -> {
            r.set(x);
            return x;
        }, e -> {
            f.set(e);
            return null;
        });
        assertTrue(d.isCalled(), "the Deferred must have fired");
        if (f.get() != null) {
            throw new AssertionError("the Deferred failed", f.get());
        }
        return r.get();
    }

    private static Throwable failure(Deferred<?> d) {
        AtomicReference<Throwable> f = new AtomicReference<>();
        d.addErrback(e -> {
            f.set(e);
            return null;
        });
        assertTrue(d.isCalled(), "the Deferred must have fired");
        assertTrue(f.get() != null, "the Deferred must have failed");
        return f.get();
    }

    private MemoryConnector lastConnector() {
        return reactor.connectors().get(reactor.connectors().size() - 1);
    }

    @Test
    void connectFiresWithTheConnectedProtocolAfterConnectionMade() {
        Deferred<Protocol> d = new TCP4ClientEndpoint(reactor, "127.0.0.1", 80).connect(factory);
        assertFalse(d.isCalled(), "not connected yet");
        assertEquals("127.0.0.1", reactor.tcpClients().get(0).host());
        StringTransport t = new StringTransport();
        lastConnector().completeConnection(t);
        Protocol p = result(d);
        assertSame(built.get(0), p, "the factory's protocol, not a wrapper");
        assertSame(t, p.transport(), "connected: its transport is set");
    }

    @Test
    void aFailedConnectFailsTheDeferredWithTheReason() {
        Deferred<Protocol> d = new TCP4ClientEndpoint(reactor, "127.0.0.1", 80).connect(factory);
        lastConnector().failConnection(new ConnectionRefusedException("refused", null));
        assertInstanceOf(ConnectionRefusedException.class, failure(d));
    }

    @Test
    void cancellingStopsTheAttempt() {
        Deferred<Protocol> d = new TCP4ClientEndpoint(reactor, "127.0.0.1", 80).connect(factory);
        d.cancel();
        assertTrue(lastConnector().stoppedConnecting(), "cancel stops connecting");
        assertInstanceOf(ConnectCancelledException.class, failure(d));
    }

    @Test
    void aFactoryThatBuildsNothingFailsWithNoProtocol() {
        Deferred<Protocol> d = new TCP4ClientEndpoint(reactor, "127.0.0.1", 80).connect(Factory.forProtocol(
                () -> null));
        lastConnector().completeConnection(new StringTransport());
        assertInstanceOf(NoProtocolException.class, failure(d));
    }

    @Test
    void connectProtocolConnectsTheGivenProtocol() {
        Protocol mine = new Protocol() {
        };
        Deferred<Protocol> d = Endpoints.connectProtocol(new TCP4ClientEndpoint(reactor, "127.0.0.1", 80), mine);
        lastConnector().completeConnection(new StringTransport());
        assertSame(mine, result(d));
    }

    @Test
    void serverEndpointsListenAtOnce() {
        ListeningPort port = result(new TCP4ServerEndpoint(reactor, 8080, 7, "127.0.0.1").listen(factory));
        assertEquals(8080, port.getHost().getPort());
        assertEquals(7, reactor.tcpServers().get(0).backlog());
        assertEquals("::", new TCP6ServerEndpoint(reactor, 0).toString().replaceAll(".*interface=(.*)]", "$1"));
    }

    @Test
    void badArgumentsFailAtTheConstructorNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TCP4ClientEndpoint(reactor, "h", 0));
        assertTrue(e.getMessage().startsWith("port"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new TCP4ServerEndpoint(null, 80));
        assertThrows(NullPointerException.class, () -> new TCP4ServerEndpoint(reactor, 80).listen(null));
    }

    // ---------------------------------------------------------------- HostnameEndpoint

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void addressesAreInterleavedByFamilyFirstFamilyFirst() {
        List<InetAddress> in = List.of(ip("::1"), ip("::2"), ip("::3"), ip("10.0.0.1"));
        assertEquals(List.of(ip("::1"), ip("10.0.0.1"), ip("::2"), ip("::3")), HostnameEndpoint.interleave(in));
    }

    @Test
    void attemptsAreStaggeredAndTheFirstConnectionWinsTheOthersAreCancelled() {
        Deferred<List<InetAddress>> resolution = new Deferred<>();
        HostnameEndpoint e = new HostnameEndpoint(reactor, reactor, name -> resolution, "example.test", 80, 30,
                null);
        Deferred<Protocol> d = e.connect(factory);
        assertTrue(reactor.tcpClients().isEmpty(), "nothing before the name resolves");
        resolution.callback(List.of(ip("::1"), ip("10.0.0.1"), ip("10.0.0.2")));
        assertEquals(List.of("0:0:0:0:0:0:0:1"), hosts(), "the first address at once");
        reactor.advance(0.29);
        assertEquals(1, hosts().size());
        reactor.advance(0.01);
        assertEquals(List.of("0:0:0:0:0:0:0:1", "10.0.0.1"), hosts(), "the next one 0.3 s later");
        reactor.connectors().get(0).failConnection(new ConnectionRefusedException("refused", null));
        assertEquals(3, hosts().size(), "a failure starts the next attempt at once");
        reactor.connectors().get(1).completeConnection(new StringTransport());
        assertSame(built.get(0), result(d));
        assertEquals(1, built.size(), "only the winner gets a protocol");
        assertTrue(reactor.connectors().get(2).stoppedConnecting(), "the attempt still under way is cancelled");
        reactor.advance(10);
        assertEquals(3, hosts().size(), "no attempt after the winner");
    }

    @Test
    void whenEveryAddressFailsTheLastFailureIsReported() {
        HostnameEndpoint e = new HostnameEndpoint(reactor, reactor,
                name -> Deferred.succeed(List.of(ip("10.0.0.1"), ip("10.0.0.2"))), "example.test", 80, 30, null);
        Deferred<Protocol> d = e.connect(factory);
        reactor.connectors().get(0).failConnection(new ConnectFailedException("first", null));
        reactor.connectors().get(1).failConnection(new ConnectionRefusedException("second", null));
        Throwable f = failure(d);
        assertEquals("second", f.getMessage());
    }

    @Test
    void aNameThatDoesNotResolveFailsAndCancelWhileResolvingStopsEverything() {
        HostnameEndpoint bad = new HostnameEndpoint(reactor, reactor,
                name -> Deferred.fail(new UnknownHostException(name)), "nowhere.test", 80, 30, null);
        Throwable f = failure(bad.connect(factory));
        assertInstanceOf(ConnectFailedException.class, f);
        assertTrue(f.getMessage().contains("nowhere.test"), f.getMessage());
        Deferred<List<InetAddress>> resolution = new Deferred<>();
        Deferred<Protocol> d = new HostnameEndpoint(reactor, reactor, name -> resolution, "slow.test", 80, 30,
                null).connect(factory);
        d.cancel();
        assertTrue(d.isCalled());
        resolution.callback(List.of(ip("10.0.0.1")));
        assertTrue(reactor.tcpClients().isEmpty(), "a cancelled connect makes no attempt");
    }

    private List<String> hosts() {
        List<String> out = new ArrayList<>();
        reactor.tcpClients().forEach(c -> out.add(c.host()));
        return out;
    }
}
