package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.ReactorSSL;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.internal.NetChecks;
import java.net.InetSocketAddress;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Connects with TLS over TCP (Twisted's {@code SSL4ClientEndpoint}; description {@code ssl:HOST:PORT}), checking by
 * default that the server's certificate matches the host name. Call on the reactor thread.
 */
public final class SSL4ClientEndpoint implements ClientEndpoint {

    private final ReactorSSL reactor;
    private final String host;
    private final int port;
    private final SSLContext context;
    private final boolean verifyHostname;
    private final double timeoutSeconds;
    private final InetSocketAddress bindAddress;

    /**
     * Connects with the default timeout, verifying the host name.
     *
     * @param reactor the reactor
     * @param host    the host name (checked against the certificate) or IP address
     * @param port    the port
     * @param context the client's trust (and keys, for a client certificate)
     */
    public SSL4ClientEndpoint(ReactorSSL reactor, String host, int port, SSLContext context) {
        this(reactor, host, port, context, true, ReactorTCP.DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * Connects with every option.
     *
     * @param reactor        the reactor
     * @param host           the host name or IP address
     * @param port           the port, 1 to 65535
     * @param context        the client's trust (and keys)
     * @param verifyHostname whether the certificate must match {@code host}; true is the safe choice
     * @param timeoutSeconds how long the TCP connect may take: positive
     * @param bindAddress    the local address to bind, or null
     * @throws NullPointerException     if {@code reactor}, {@code host} or {@code context} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public SSL4ClientEndpoint(ReactorSSL reactor, String host, int port, SSLContext context,
            boolean verifyHostname, double timeoutSeconds, InetSocketAddress bindAddress) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        this.context = Objects.requireNonNull(context, "context must not be null");
        NetChecks.connect(host, port, reactor, timeoutSeconds, bindAddress);
        this.host = host;
        this.port = port;
        this.verifyHostname = verifyHostname;
        this.timeoutSeconds = timeoutSeconds;
        this.bindAddress = bindAddress;
    }

    @Override
    public Deferred<Protocol> connect(Factory factory) {
        return ConnectionWaiter.connect(factory, f -> reactor.connectSSL(host, port, f, context, verifyHostname,
                timeoutSeconds, bindAddress));
    }

    /** The endpoint's parameters, e.g. {@code SSL4ClientEndpoint[host=example.com, port=443, timeout=30, bind=]}. */
    @Override
    public String toString() {
        return "SSL4ClientEndpoint[host=" + host + ", port=" + port + ", timeout=" + Describe.number(timeoutSeconds)
                + ", bind=" + Describe.bind(bindAddress) + "]";
    }
}
