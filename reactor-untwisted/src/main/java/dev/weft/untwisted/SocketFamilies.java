package dev.weft.untwisted;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
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
