package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.ReactorTCP;

/**
 * Listens on a TCP port over IPv6 (and IPv4 where the system maps it) (Twisted's {@code TCP6ServerEndpoint}; description {@code tcp6:PORT}). Call on the
 * reactor thread.
 */
public final class TCP6ServerEndpoint implements ServerEndpoint {

    private final TcpListenSpec spec;

    /**
     * Listens on every IPv6 interface ({@code ::}) with the default backlog.
     *
     * @param reactor the reactor
     * @param port    the port, 0 for one the system picks
     */
    public TCP6ServerEndpoint(ReactorTCP reactor, int port) {
        this(reactor, port, ReactorTCP.DEFAULT_BACKLOG, "::");
    }

    /**
     * Listens on {@code iface}.
     *
     * @param reactor the reactor
     * @param port    the port, 0 to 65535
     * @param backlog the accept queue length, at least 1
     * @param iface   the address to bind, {@code "::"} for every IPv6 interface
     * @throws NullPointerException     if {@code reactor} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} or {@code backlog} is out of range
     */
    public TCP6ServerEndpoint(ReactorTCP reactor, int port, int backlog, String iface) {
        this.spec = new TcpListenSpec(reactor, port, backlog, iface);
    }

    @Override
    public Deferred<ListeningPort> listen(Factory factory) {
        return spec.listen(factory);
    }

    /** The endpoint's parameters, e.g. {@code TCP6ServerEndpoint[port=80, backlog=50, interface=::]}. */
    @Override
    public String toString() {
        return spec.describe("TCP6ServerEndpoint");
    }
}
