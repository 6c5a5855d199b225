package dev.weft.untwisted;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.InvalidAddressException;
import dev.weft.reactor.spi.DatagramPortBase;
import dev.weft.reactor.internal.NetChecks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * A UDP port on the selector: a non-blocking {@link DatagramChannel}, bound before {@link #open} returns.
 * {@link DatagramPortBase} does the contract; this class reads datagrams (a bounded number per readiness, through
 * the reactor's buffer cut to the maximum packet size) and sends them.
 *
 * <p>Reads use {@code receive} in connected mode too: unlike {@code read}, it tells an empty datagram from none,
 * and it reports an ICMP refusal as {@link PortUnreachableException} just as {@code read} does.
 *
 * <p>Used on the reactor thread only.
 */
final class UntwistedDatagramPort extends DatagramPortBase implements Selectable {

    /** Datagrams read per readiness at most. */
    private static final int MAX_READS_PER_READY = 64;

    private final UntwistedReactor reactor;
    private final DatagramChannel channel;
    private final InetSocketAddress host;
    private ChannelRegistration registration;
    private boolean closed;
    private boolean broadcast;

    private UntwistedDatagramPort(UntwistedReactor reactor, DatagramProtocol protocol, int maxPacketSize,
            DatagramChannel channel) throws IOException {
        super(reactor, protocol, maxPacketSize);
        this.reactor = reactor;
        this.channel = channel;
        this.host = (InetSocketAddress) channel.getLocalAddress();
        this.broadcast = channel.getOption(StandardSocketOptions.SO_BROADCAST);
    }

    /**
     * Binds and starts the protocol.
     *
     * @param reactor       the reactor
     * @param port          the port, 0 for any
     * @param protocol      the protocol
     * @param iface         the interface, {@code ""} for all
     * @param maxPacketSize the largest datagram read
     * @return the port
     * @throws CannotListenException if the port cannot be bound; nothing is left open
     */
    static UntwistedDatagramPort open(UntwistedReactor reactor, int port, DatagramProtocol protocol, String iface,
            int maxPacketSize) {
        InetSocketAddress address = InetSocketAddress.createUnresolved(iface, port);
        DatagramChannel channel = null;
        UntwistedDatagramPort p;
        try {
            address = NetChecks.bindAddress(iface, port);
            // A socket of the address's family: "" is 0.0.0.0, IPv4 only, as in Twisted; "::" is IPv6.
            channel = DatagramChannel.open(SocketFamilies.of(address.getAddress()));
            channel.bind(address);
            channel.configureBlocking(false);
            p = new UntwistedDatagramPort(reactor, protocol, maxPacketSize, channel);
            p.registration = ChannelRegistration.register(reactor, channel, SelectionKey.OP_READ, p);
        } catch (IOException | RuntimeException e) {
            SocketFamilies.closeQuietly(channel);
            throw new CannotListenException(address, e);
        }
        p.listening();
        return p;
    }

    @Override
    public void ready(int readyOps) {
        ByteBuffer buffer = reactor.readBuffer();
        for (int i = 0; i < MAX_READS_PER_READY && !closed; i++) {
            buffer.clear().limit(maxPacketSize());
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (PortUnreachableException e) {
                refused();
                continue;
            } catch (IOException e) {
                reactor.logFailure("while reading a datagram on " + host, e);
                return;
            }
            if (from == null) {
                return;
            }
            byte[] data = new byte[buffer.position()];
            buffer.flip();
            buffer.get(data);
            datagramRead(data, (InetSocketAddress) from);
        }
    }

    @Override
    protected void sendDatagram(byte[] data, InetSocketAddress address) throws IOException {
        if (closed) {
            return;
        }
        // A datagram the socket buffer cannot take now (0 bytes sent) is dropped, as UDP may.
        try {
            if (address == null) {
                channel.write(ByteBuffer.wrap(data));
            } else {
                channel.send(ByteBuffer.wrap(data), address);
            }
        } catch (UnsupportedAddressTypeException e) {
            throw new InvalidAddressException("cannot send to " + address + " from the port bound to " + host);
        }
    }

    @Override
    protected void connectChannel(InetSocketAddress address) throws IOException {
        channel.connect(address);
    }

    @Override
    protected void closeChannel() {
        if (closed) {
            return;
        }
        closed = true;
        registration.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            reactor.logFailure("while closing the UDP port " + host, e);
        }
        // The socket of a channel registered with a selector is closed by its next select: do it now.
        reactor.flushCancelledKeys();
    }

    @Override
    protected void applyBroadcast(boolean enabled) throws IOException {
        broadcast = enabled;
        if (!closed) {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, enabled);
        }
    }

    @Override
    protected boolean readBroadcast() {
        if (closed) {
            return broadcast;
        }
        try {
            return channel.getOption(StandardSocketOptions.SO_BROADCAST);
        } catch (IOException e) {
            return broadcast;
        }
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }
}
