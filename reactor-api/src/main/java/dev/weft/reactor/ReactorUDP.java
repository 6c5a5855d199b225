package dev.weft.reactor;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;

/**
 * UDP ports (Twisted's {@code IReactorUDP}).
 *
 * <p>Call on the reactor thread (or before
 * the reactor runs); every protocol callback runs on the reactor thread.
 */
public interface ReactorUDP {

    /** The default maximum datagram size read, in bytes, Twisted's. */
    int DEFAULT_MAX_PACKET_SIZE = 8192;

    /**
     * Listens on {@code port} on every IPv4 interface ({@code 0.0.0.0}, as Twisted) with the default maximum packet size; see
     * {@link #listenUDP(int, DatagramProtocol, String, int)}.
     *
     * @param port     the port, 0 for one the system picks
     * @param protocol handles the datagrams
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    default DatagramTransport listenUDP(int port, DatagramProtocol protocol) {
        return listenUDP(port, protocol, "", DEFAULT_MAX_PACKET_SIZE);
    }

    /**
     * Listens on {@code port} on {@code iface} with the default maximum packet size: Twisted's
     * {@code listenUDP(port, protocol, interface=iface)}; see {@link #listenUDP(int, DatagramProtocol, String, int)}.
     *
     * @param port     the port, 0 for one the system picks
     * @param protocol handles the datagrams
     * @param iface    the local address to bind: an IP literal, {@code ""} for every IPv4 interface, {@code "::"} for
     *                 every IPv6 one
     * @return the bound port
     * @throws CannotListenException    if the port cannot be bound
     * @throws NullPointerException     if {@code protocol} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} is out of range
     * @throws dev.weft.protocol.InvalidAddressException if {@code iface} is not empty nor an IP address literal
     */
    default DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface) {
        return listenUDP(port, protocol, iface, DEFAULT_MAX_PACKET_SIZE);
    }

    /**
     * Listens on {@code port} on every IPv4 interface ({@code 0.0.0.0}) with the given maximum packet size:
     * Twisted's {@code listenUDP(port, protocol, maxPacketSize=n)}; see
     * {@link #listenUDP(int, DatagramProtocol, String, int)}.
     *
     * @param port          the port, 0 for one the system picks
     * @param protocol      handles the datagrams
     * @param maxPacketSize the largest datagram read or written
     * @return the bound port
     * @throws CannotListenException    if the port cannot be bound
     * @throws NullPointerException     if {@code protocol} is null
     * @throws IllegalArgumentException if {@code port} or {@code maxPacketSize} is out of range
     */
    default DatagramTransport listenUDP(int port, DatagramProtocol protocol, int maxPacketSize) {
        return listenUDP(port, protocol, "", maxPacketSize);
    }

    /**
     * Binds a UDP port before returning and calls the protocol's {@code makeConnection} (hence
     * {@code startProtocol}) with it.
     *
     * @param port          the port, 0 to 65535
     * @param protocol      handles the datagrams
     * @param iface         the local address to bind: an IPv4 or IPv6 literal, never a host name; {@code ""} for
     *                      every IPv4 interface ({@code 0.0.0.0}, Twisted's default), {@code "::"} for every IPv6
     *                      one
     * @param maxPacketSize the largest datagram read; longer ones are truncated by the system
     * @return the bound port, also the protocol's transport
     * @throws CannotListenException    if the port cannot be bound
     * @throws NullPointerException     if {@code protocol} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} or {@code maxPacketSize} is out of range
     * @throws dev.weft.protocol.InvalidAddressException if {@code iface} is not empty nor an IP address literal
     */
    DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize);
}
