package dev.weft.protocol;

import java.net.InetSocketAddress;

/**
 * The UDP port a {@link DatagramProtocol} sends through (Twisted's {@code IUDPTransport}), returned by
 * {@code listenUDP}. It is also the port's {@link ListeningPort}: {@link #stopListening()} closes it.
 *
 * <p>Not thread-safe: call every method on the reactor thread.
 */
public interface DatagramTransport extends ListeningPort {

    /**
     * Sends one datagram to {@code address}, in unconnected mode. Datagrams may be lost, duplicated or reordered;
     * an error of the network (other than a refusal in connected mode) is logged and the datagram dropped.
     *
     * @param data    the datagram, at most the port's maximum packet size
     * @param address where to send it: a resolved IP address
     * @throws NullPointerException     if an argument is null
     * @throws InvalidAddressException  if {@code address} is unresolved, or of the other family than the port's (an
     *                                  IPv4 port writes to IPv4 addresses only, an IPv6 port to IPv6 ones)
     * @throws IllegalStateException    if the transport is connected (use {@link #write(byte[])})
     * @throws IllegalArgumentException if {@code data} is longer than the maximum packet size
     */
    void write(byte[] data, InetSocketAddress address);

    /**
     * Sends one datagram to the connected peer, in connected mode.
     *
     * @param data the datagram
     * @throws NullPointerException  if {@code data} is null
     * @throws IllegalStateException if the transport is not connected
     */
    void write(byte[] data);

    /**
     * Connects the port to one peer: only its datagrams are delivered, {@link #write(byte[])} sends to it, and an
     * ICMP refusal from it calls {@link DatagramProtocol#connectionRefused()} on the reactor thread.
     *
     * @param host an IP address literal (not a host name)
     * @param port the peer's port, 1 to 65535
     * @throws InvalidAddressException if {@code host} is not an IP address, or of the other family than the port's,
     *                                 or {@code port} is out of range
     * @throws IllegalStateException   if the port is connected already
     * @throws NullPointerException    if {@code host} is null
     */
    void connect(String host, int port);

    /**
     * The address the port is bound to.
     *
     * @return the local address
     */
    @Override
    InetSocketAddress getHost();

    /**
     * Allows or forbids sending to broadcast addresses ({@code SO_BROADCAST}).
     *
     * @param enabled whether broadcast is allowed
     */
    void setBroadcastAllowed(boolean enabled);

    /**
     * Reads {@code SO_BROADCAST}.
     *
     * @return whether broadcast is allowed
     */
    boolean getBroadcastAllowed();
}
