package dev.weft.untwisted;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;

/** Small socket helpers shared by the channels of this backend. */
final class SocketFamilies {

    private SocketFamilies() {
    }

    /**
     * The protocol family of an address, to open a channel that can reach or bind it.
     *
     * @param address the address
     * @return {@code INET6} for an IPv6 address, else {@code INET}
     */
    static ProtocolFamily of(InetAddress address) {
        return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * The protocol family of a destination: {@code UNIX} for a {@link UnixDomainSocketAddress}, else that of its IP
     * address.
     *
     * @param address a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @return the family
     */
    static ProtocolFamily of(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        return of(((InetSocketAddress) address).getAddress());
    }

    /**
     * Closes a channel, ignoring errors.
     *
     * @param channel the channel, or null
     */
    static void closeQuietly(Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
