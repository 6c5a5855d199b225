package dev.weft.netty;

import dev.weft.reactor.internal.Loggers;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * The kind of I/O a Netty event loop does, and all that differs with it: the handler an owned loop makes, the
 * channel classes of TCP and UDP, whether {@code addReader}/{@code addWriter} can watch a {@code SelectableChannel},
 * and how finely an owned loop can wait. {@link #OTHER} stands for the loop of an attached reactor whose handler is
 * neither NIO nor epoll. Thread-safe.
 */
enum NettyIoKind {
    /** Netty's {@code NioIoHandler}: a JDK selector, which waits in whole milliseconds. */
    NIO("nio", NettySockets.NIO, true, 1_000_000L) {
        @Override
        IoHandlerFactory newHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends IoHandle> handleType() {
            return NioIoHandle.class;
        }
    },
    /** Netty's native {@code EpollIoHandler} (Linux): a timer descriptor waits in nanoseconds. */
    EPOLL("epoll", NettySockets.EPOLL, false, 0) {
        @Override
        IoHandlerFactory newHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends IoHandle> handleType() {
            return EpollIoHandle.class;
        }
    },
    /** Another handler, on an attached loop only: no channels of ours, no watched descriptors. */
    OTHER(null, null, false, 0) {
        @Override
        IoHandlerFactory newHandlerFactory() {
            throw new UnsupportedOperationException("an owned loop is nio or epoll");
        }

        @Override
        Class<? extends IoHandle> handleType() {
            throw new UnsupportedOperationException("an owned loop is nio or epoll");
        }
    };

    private static final Logger LOG = Loggers.get(NettyReactor.class);

    private final String label;
    private final NettySockets channels;
    private final boolean watchesSelectableChannels;
    private final long waitGranularityNanos;

    NettyIoKind(String label, NettySockets channels, boolean watchesSelectableChannels, long waitGranularityNanos) {
        this.label = label;
        this.channels = channels;
        this.watchesSelectableChannels = watchesSelectableChannels;
        this.waitGranularityNanos = waitGranularityNanos;
    }

    /** The handlers of an owned loop of this kind. */
    abstract IoHandlerFactory newHandlerFactory();

    /** The handles the handlers of {@link #newHandlerFactory()} take. */
    abstract Class<? extends IoHandle> handleType();

    /**
     * The name of the kind ({@code nio}, {@code epoll}), or the class name of {@code loop} for {@link #OTHER}.
     *
     * @param loop the loop of this kind
     * @return the name {@link NettyReactor#transport()} gives
     */
    String label(IoEventLoop loop) {
        return label != null ? label : loop.getClass().getSimpleName();
    }

    /** Whether {@code addReader}/{@code addWriter} can watch a raw {@code SelectableChannel} on this kind. */
    boolean watchesSelectableChannels() {
        return watchesSelectableChannels;
    }

    /**
     * How finely an owned loop of this kind waits, 0 when precisely enough: Netty's {@code NioIoHandler} waits in
     * {@code Selector.select(long)}, in whole milliseconds rounded to the nearest, so a timer could fire up to half a
     * millisecond late; the loop then waits whole milliseconds and polls for the rest.
     */
    long waitGranularityNanos() {
        return waitGranularityNanos;
    }

    /**
     * The channel classes of this kind.
     *
     * @param transport the name of the loop's transport, for the message
     * @throws UnsupportedOperationException for {@link #OTHER}
     */
    NettySockets channels(String transport) {
        if (channels == null) {
            throw new UnsupportedOperationException("TCP, TLS and UDP need an NIO or epoll event loop; this reactor"
                    + " runs on " + transport);
        }
        return channels;
    }

    /** The kind of a user's loop. */
    static NettyIoKind of(IoEventLoop loop) {
        if (loop.isCompatible(NioSelectableChannelIoHandle.class)) {
            return NIO;
        }
        try {
            return loop.isIoType(EpollIoHandler.class) ? EPOLL : OTHER;
        } catch (LinkageError e) {
            return OTHER;
        }
    }

    /**
     * The kind for a value of {@code weft.netty.transport}: {@code nio}, {@code epoll} (fails where the native
     * library does not load) or {@code auto} (epoll where it loads, else nio, logged once at INFO).
     */
    static NettyIoKind select(String value) {
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
