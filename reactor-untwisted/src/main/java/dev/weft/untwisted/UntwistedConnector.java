package dev.weft.untwisted;

import dev.weft.protocol.ClientFactory;
import dev.weft.reactor.spi.ConnectorBase;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * An outgoing TCP connection on the selector. {@link ConnectorBase} does the contract (callbacks, timeout, name
 * resolution, TLS); this class starts one {@link ConnectAttempt} at a time and hands its outcome back.
 *
 * <p>Used on the reactor thread only.
 */
final class UntwistedConnector extends ConnectorBase {

    private final UntwistedReactor reactor;
    private ConnectAttempt pending;

    UntwistedConnector(UntwistedReactor reactor, String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress, SSLContext tlsContext, boolean verifyHostname) {
        super(reactor, host, port, factory, timeoutSeconds, bindAddress, tlsContext, verifyHostname);
        this.reactor = reactor;
    }

    @Override
    protected void startAttempt(InetSocketAddress remote, InetSocketAddress bind) {
        ConnectAttempt attempt = new ConnectAttempt(reactor, this);
        pending = attempt;
        attempt.start(remote, bind);
    }

    @Override
    protected void cancelAttempt() {
        ConnectAttempt attempt = pending;
        pending = null;
        if (attempt != null) {
            attempt.close();
        }
    }

    /** The attempt connected; {@code transport} owns its channel from now on. */
    void connected(ConnectAttempt attempt, UntwistedTcpTransport transport) {
        if (attempt != pending) {
            transport.closeChannel(false);
            return;
        }
        pending = null;
        attemptSucceeded(transport);
    }

    /** Finishing the connect failed; the channel is closed. A reset is a connection made, then lost. */
    void finishFailed(ConnectAttempt attempt, Throwable cause) {
        if (attempt != pending) {
            return;
        }
        pending = null;
        finishFailed(cause);
    }

    /** The attempt failed; its channel is closed. */
    void failed(ConnectAttempt attempt, Throwable cause) {
        if (attempt != pending) {
            return;
        }
        pending = null;
        attemptFailed(cause);
    }
}
