package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.InvalidAddressException;
import dev.weft.reactor.internal.NetChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.Objects;

/**
 * The contract of a UDP port ({@code listenUDP}), written once for every backend: argument checks (resolved IP
 * addresses only, datagrams no longer than the maximum packet size, connected or unconnected mode), the protocol's
 * {@code startProtocol}/{@code stopProtocol}, errors of {@code datagramReceived} logged without closing the port,
 * refusals in connected mode reported to {@code connectionRefused}, and {@link #stopListening()}'s Deferred.
 *
 * <p>A backend binds in its {@code listenUDP}, then calls {@link #listening()}; it reports each datagram read with
 * {@link #datagramRead(byte[], InetSocketAddress)} and a refusal (ICMP port unreachable) with {@link #refused()};
 * it supplies the abstract methods. Every method runs on the reactor thread.
 *
 * <p>For implementors of backends, not for protocol code.
 */
public abstract class DatagramPortBase implements DatagramTransport, ReactorResource {

    private final ReactorBase reactor;
    private final DatagramProtocol protocol;
    private final int maxPacketSize;

    private InetSocketAddress connectedTo;
    private final PortStop stop;

    /**
     * Creates the shared part of a UDP port.
     *
     * @param reactor       the reactor
     * @param protocol      the port's protocol
     * @param maxPacketSize the largest datagram sent or read
     */
    protected DatagramPortBase(ReactorBase reactor, DatagramProtocol protocol, int maxPacketSize) {
        this.reactor = Objects.requireNonNull(reactor, "reactor must not be null");
        this.protocol = Objects.requireNonNull(protocol, "protocol must not be null");
        this.maxPacketSize = maxPacketSize;
        this.stop = new PortStop(reactor, this, this::closeChannel, () -> {
            try {
                protocol.doStop();
            } catch (Throwable t) {
                reactor.logError("in stopProtocol of " + protocol, t);
            }
        }, "in stopProtocol of " + protocol);
    }

    /**
     * Sends one datagram without blocking; a datagram the system cannot take now may be dropped, as UDP may.
     *
     * @param data    the datagram
     * @param address the destination, or null in connected mode
     * @throws IOException if the system refuses it ({@link PortUnreachableException} for a refusal reported in
     *                     connected mode)
     */
    protected abstract void sendDatagram(byte[] data, InetSocketAddress address) throws IOException;

    /**
     * Connects the socket to one peer (only its datagrams are read from now on).
     *
     * @param address the peer
     * @throws IOException if the system refuses it
     */
    protected abstract void connectChannel(InetSocketAddress address) throws IOException;

    /** Closes the socket, releasing the port before returning; the backend reports nothing after it. */
    protected abstract void closeChannel();

    /**
     * Sets {@code SO_BROADCAST}.
     *
     * @param enabled whether broadcast is allowed
     * @throws IOException if the system refuses it
     */
    protected abstract void applyBroadcast(boolean enabled) throws IOException;

    /**
     * Reads {@code SO_BROADCAST}.
     *
     * @return whether broadcast is allowed
     */
    protected abstract boolean readBroadcast();

    /** The port is bound: registers it for reactor shutdown and attaches the protocol ({@code startProtocol}). */
    protected final void listening() {
        reactor.register(this);
        try {
            protocol.makeConnection(this);
        } catch (Throwable t) {
            reactor.logError("in startProtocol of " + protocol, t);
        }
    }

    /**
     * A datagram was read: the protocol's {@code datagramReceived}, an exception of which is logged.
     *
     * @param data the datagram
     * @param from the sender
     */
    protected final void datagramRead(byte[] data, InetSocketAddress from) {
        if (stop.isStopped()) {
            return;
        }
        try {
            protocol.datagramReceived(data, from);
        } catch (Throwable t) {
            reactor.logError("in datagramReceived of " + protocol, t);
        }
    }

    /** The connected peer refused a datagram: the protocol's {@code connectionRefused}. */
    protected final void refused() {
        if (stop.isStopped() || connectedTo == null) {
            return;
        }
        try {
            protocol.connectionRefused();
        } catch (Throwable t) {
            reactor.logError("in connectionRefused of " + protocol, t);
        }
    }

    /**
     * The maximum packet size given to {@code listenUDP}.
     *
     * @return the largest datagram, in bytes
     */
    protected final int maxPacketSize() {
        return maxPacketSize;
    }

    @Override
    public final void write(byte[] data, InetSocketAddress address) {
        reactor.checkThread("write");
        Objects.requireNonNull(data, "data must not be null");
        NetChecks.resolved(address);
        if (connectedTo != null) {
            throw new IllegalStateException("connected to " + connectedTo + ": use write(byte[])");
        }
        NetChecks.sameFamily(getHost(), address, "address");
        NetChecks.datagram(data, maxPacketSize);
        send(data, address);
    }

    @Override
    public final void write(byte[] data) {
        reactor.checkThread("write");
        Objects.requireNonNull(data, "data must not be null");
        if (connectedTo == null) {
            throw new IllegalStateException("not connected: use write(byte[], InetSocketAddress)");
        }
        NetChecks.datagram(data, maxPacketSize);
        send(data, null);
    }

    @Override
    public final void connect(String host, int port) {
        reactor.checkThread("connect");
        Objects.requireNonNull(host, "host must not be null");
        if (connectedTo != null) {
            throw new IllegalStateException("already connected to " + connectedTo);
        }
        if (port < 1 || port > 65535) {
            throw new InvalidAddressException("port must be in [1, 65535], got " + port);
        }
        InetSocketAddress peer = new InetSocketAddress(NetChecks.requireIpLiteral(host), port);
        NetChecks.sameFamily(getHost(), peer, "host");
        try {
            connectChannel(peer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect the UDP port to " + peer, e);
        }
        connectedTo = peer;
    }

    @Override
    public final void setBroadcastAllowed(boolean enabled) {
        reactor.checkThread("setBroadcastAllowed");
        try {
            applyBroadcast(enabled);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set SO_BROADCAST", e);
        }
    }

    @Override
    public final boolean getBroadcastAllowed() {
        return readBroadcast();
    }

    @Override
    public final Deferred<Void> stopListening() {
        return stop.stop();
    }

    @Override
    public final void reactorShutdown(ConnectionLost reason) {
        stop.shutdown();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + getHost() + (stop.isStopped() ? ", stopped" : "") + "]";
    }

    private void send(byte[] data, InetSocketAddress address) {
        if (stop.isStopped()) {
            return;
        }
        try {
            sendDatagram(data, address);
        } catch (PortUnreachableException e) {
            refused();
        } catch (IOException e) {
            reactor.logError("while sending a datagram from " + this, e);
        }
    }


}
