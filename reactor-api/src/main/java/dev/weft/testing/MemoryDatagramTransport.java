package dev.weft.testing;

import dev.weft.reactor.internal.NetChecks;

import dev.weft.defer.Deferred;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.InvalidAddressException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The {@link DatagramTransport} that {@link MemoryReactor#listenUDP} returns: it records the datagrams written
 * ({@link #written()}), checks addresses as a real port does, and never sends anything. Not thread-safe.
 */
public final class MemoryDatagramTransport implements DatagramTransport {

    /**
     * A datagram written.
     *
     * @param data    the bytes
     * @param address where to (the connected peer in connected mode)
     */
    public record Datagram(byte[] data, InetSocketAddress address) {
    }

    private final InetSocketAddress host;
    private final DatagramProtocol protocol;
    private final int maxPacketSize;
    private final List<Datagram> written = new ArrayList<>();
    private InetSocketAddress connectedTo;
    private boolean broadcastAllowed;
    private boolean listening = true;

    MemoryDatagramTransport(InetSocketAddress host, DatagramProtocol protocol, int maxPacketSize) {
        this.host = host;
        this.protocol = protocol;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public void write(byte[] data, InetSocketAddress address) {
        Objects.requireNonNull(data, "data must not be null");
        NetChecks.resolved(address);
        if (connectedTo != null) {
            throw new IllegalStateException("connected to " + connectedTo + ": use write(byte[])");
        }
        NetChecks.sameFamily(host, address, "address");
        NetChecks.datagram(data, maxPacketSize);
        written.add(new Datagram(data.clone(), address));
    }

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        if (connectedTo == null) {
            throw new IllegalStateException("not connected: use write(byte[], InetSocketAddress)");
        }
        NetChecks.datagram(data, maxPacketSize);
        written.add(new Datagram(data.clone(), connectedTo));
    }

    @Override
    public void connect(String host, int port) {
        Objects.requireNonNull(host, "host must not be null");
        if (connectedTo != null) {
            throw new IllegalStateException("already connected to " + connectedTo);
        }
        if (port < 1 || port > 65535) {
            throw new InvalidAddressException("port must be in [1, 65535], got " + port);
        }
        InetSocketAddress peer = new InetSocketAddress(NetChecks.requireIpLiteral(host), port);
        NetChecks.sameFamily(this.host, peer, "host");
        connectedTo = peer;
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    @Override
    public void setBroadcastAllowed(boolean enabled) {
        broadcastAllowed = enabled;
    }

    @Override
    public boolean getBroadcastAllowed() {
        return broadcastAllowed;
    }

    /**
     * Stops the port: the protocol's {@code doStop()} (so {@code stopProtocol()} for its last port).
     *
     * @return a Deferred that has fired with null
     */
    @Override
    public Deferred<Void> stopListening() {
        if (listening) {
            listening = false;
            protocol.doStop();
        }
        return Deferred.succeed(null);
    }

    /**
     * The datagrams written, in order.
     *
     * @return an unmodifiable view
     */
    public List<Datagram> written() {
        return Collections.unmodifiableList(written);
    }

    /**
     * The connected peer.
     *
     * @return the peer, or null in unconnected mode
     */
    public InetSocketAddress connectedTo() {
        return connectedTo;
    }

    /**
     * Whether {@link #stopListening()} has not been called.
     *
     * @return whether the port is still listening
     */
    public boolean isListening() {
        return listening;
    }
}
