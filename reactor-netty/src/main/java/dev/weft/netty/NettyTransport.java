package dev.weft.netty;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty transports an owned reactor can run on, and the choice among them. Thread-safe. */
enum NettyTransport {
    NIO("nio"),
    EPOLL("epoll");

    private static final Logger LOG = LoggerFactory.getLogger(NettyReactor.class);

    private final String label;

    NettyTransport(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    IoHandlerFactory newFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The handles the handlers of {@link #newFactory()} take. */
    Class<? extends IoHandle> handleType() {
        return this == EPOLL ? EpollIoHandle.class : NioIoHandle.class;
    }

    /**
     * The transport for a value of {@code weft.netty.transport}: {@code nio}, {@code epoll} (fails where the
     * native library does not load) or {@code auto} (epoll where it loads, else nio, logged once at INFO).
     */
    static NettyTransport select(String value) {
        String v = value == null ? "nio" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "nio":
                return NIO;
            case "epoll": {
                Throwable cause = epollUnavailabilityCause();
                if (cause != null) {
                    throw new IllegalStateException(NettyReactor.TRANSPORT_OPTION + "=epoll, but Netty's native epoll"
                            + " transport does not load here (" + cause + "); use nio, or auto to fall back to nio",
                            cause);
                }
                return EPOLL;
            }
            case "auto": {
                Throwable cause = epollUnavailabilityCause();
                if (cause == null) {
                    return EPOLL;
                }
                LOG.info("{}=auto: native epoll does not load here ({}); using nio", NettyReactor.TRANSPORT_OPTION,
                        cause.toString());
                return NIO;
            }
            default:
                throw new IllegalArgumentException(NettyReactor.TRANSPORT_OPTION + " must be nio, epoll or auto, got '"
                        + value + "'");
        }
    }

    /** Why native epoll cannot be used here, or null when it can. */
    static Throwable epollUnavailabilityCause() {
        try {
            return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }
}
