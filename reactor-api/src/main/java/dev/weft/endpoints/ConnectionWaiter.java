package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.NotConnectingException;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Function;

/**
 * The client factory behind every client endpoint (Twisted's {@code _WrappingFactory}): it turns a plain
 * {@link Factory} and one reactor connect into a {@code Deferred<Protocol>} that fires once the protocol's
 * {@code connectionMade} has run, fails with the connection's failure, and stops the attempt when cancelled. The
 * factory's {@code doStart}/{@code doStop} follow the connector's. Reactor thread.
 */
final class ConnectionWaiter extends ClientFactory {

    private final Factory wrapped;
    private final Deferred<Protocol> result;
    private Connector connector;

    private ConnectionWaiter(Factory wrapped) {
        this.wrapped = wrapped;
        this.result = new Deferred<>(d -> stop());
    }

    /**
     * Connects with {@code how}, which calls the reactor with the client factory it is given.
     *
     * @param factory the user's factory
     * @param how     makes the connector (e.g. {@code f -> reactor.connectTCP(host, port, f)})
     * @return the Deferred of the connected protocol; failed at once if {@code how} throws
     */
    static Deferred<Protocol> connect(Factory factory, Function<ClientFactory, Connector> how) {
        Objects.requireNonNull(factory, "factory must not be null");
        ConnectionWaiter w = new ConnectionWaiter(factory);
        try {
            w.connector = how.apply(w);
        } catch (RuntimeException e) {
            return Deferred.fail(e);
        }
        return w.result;
    }

    private void stop() {
        if (connector != null) {
            try {
                connector.stopConnecting(); // clientConnectionFailed(ConnectCancelledException) fires the result
            } catch (NotConnectingException e) {
                // connected meanwhile or failed already: the result has fired or is about to
            }
        }
    }

    @Override
    protected void startFactory() {
        wrapped.doStart();
    }

    @Override
    protected void stopFactory() {
        wrapped.doStop();
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        if (result.isCalled()) {
            return null;
        }
        Protocol p;
        try {
            p = wrapped.buildProtocol(address);
        } catch (Throwable t) {
            result.errback(t);
            return null;
        }
        if (p == null) {
            result.errback(new NoProtocolException(wrapped + " built no protocol for " + address));
            return null;
        }
        return p instanceof HalfCloseableProtocol ? new HalfCloseableWrapper(p, result) : new Wrapper(p, result);
    }

    @Override
    public void clientConnectionFailed(Connector c, Throwable reason) {
        if (!result.isCalled()) {
            result.errback(reason);
        }
    }

    @Override
    public String toString() {
        return "ConnectionWaiter[" + wrapped + "]";
    }

    /** Forwards every event to the user's protocol, and fires the result once it is connected. */
    private static class Wrapper extends Protocol {
        final Protocol wrapped;
        private Deferred<Protocol> connected;

        Wrapper(Protocol wrapped, Deferred<Protocol> connected) {
            this.wrapped = wrapped;
            this.connected = connected;
        }

        @Override
        public void makeConnection(Transport transport) {
            super.makeConnection(transport);
            wrapped.makeConnection(transport);
            Deferred<Protocol> d = connected;
            connected = null;
            if (d != null && !d.isCalled()) {
                d.callback(wrapped);
            }
        }

        @Override
        public void dataReceived(byte[] data) {
            wrapped.dataReceived(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            wrapped.connectionLost(reason);
        }

        @Override
        public String toString() {
            return wrapped.toString();
        }
    }

    /** A {@link Wrapper} of a protocol that takes half-closes. */
    private static final class HalfCloseableWrapper extends Wrapper implements HalfCloseableProtocol {
        HalfCloseableWrapper(Protocol wrapped, Deferred<Protocol> connected) {
            super(wrapped, connected);
        }

        @Override
        public void readConnectionLost() {
            ((HalfCloseableProtocol) wrapped).readConnectionLost();
        }

        @Override
        public void writeConnectionLost() {
            ((HalfCloseableProtocol) wrapped).writeConnectionLost();
        }
    }
}
