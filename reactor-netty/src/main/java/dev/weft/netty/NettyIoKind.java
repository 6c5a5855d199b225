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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The kind of I/O a Netty event loop does, and all that differs with it: the handler an owned loop makes, the
 * channel classes of TCP and UDP, how {@code addReader}/{@code addWriter} watch a {@code SelectableChannel}, and
 * how finely an owned loop can wait. {@link #OTHER} stands for the loop of an attached reactor whose handler is
 * neither NIO, epoll nor io_uring. Thread-safe.
 */
enum NettyIoKind {
    /** Netty's {@code NioIoHandler}: a JDK selector, which waits in whole milliseconds. */
    NIO("nio", NettySockets.NIO, ChannelWatching.LOOP, 1_000_000L) {
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
    EPOLL("epoll", NettySockets.EPOLL, ChannelWatching.HELPER_SELECTOR, 0) {
        @Override
        IoHandlerFactory newHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends IoHandle> handleType() {
            return EpollIoHandle.class;
        }
    },
    /** Netty's native {@code IoUringIoHandler} (Linux 5.14+, where the kernel allows io_uring). */
    IO_URING("io_uring", NettySockets.IO_URING, ChannelWatching.HELPER_SELECTOR, 0) {
        @Override
        IoHandlerFactory newHandlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        Class<? extends IoHandle> handleType() {
            return IoUringIoHandle.class;
        }
    },
    /** Another handler, on an attached loop only: no channels of ours, no watched descriptors. */
    OTHER(null, null, ChannelWatching.NONE, 0) {
        @Override
        IoHandlerFactory newHandlerFactory() {
            throw new UnsupportedOperationException("an owned loop is nio, epoll or io_uring");
        }

        @Override
        Class<? extends IoHandle> handleType() {
            throw new UnsupportedOperationException("an owned loop is nio, epoll or io_uring");
        }
    };

    static {
        // Before this class, the backend's only user of Netty's IoUring, can initialise it.
        IoUringDefaults.apply();
    }

    /** How {@code addReader}/{@code addWriter} watch a {@code SelectableChannel} on a kind of loop. */
    enum ChannelWatching {
        /** Registered on the loop itself ({@link ChannelWatch}, Netty's {@code NioSelectableChannelIoHandle}). */
        LOOP,
        /**
         * On a JDK selector of a helper thread, which hands readiness to the loop ({@link WatchSelector}): a native
         * loop needs the channel's file descriptor, which the JDK does not expose.
         */
        HELPER_SELECTOR,
        /** Not at all. */
        NONE
    }

    /** The values {@value NettyReactor#TRANSPORT_OPTION} accepts, for messages. */
    static final String VALUES = "nio, epoll, io_uring or auto";

    private static final Logger LOG = Loggers.get(NettyReactor.class);

    private final String label;
    private final NettySockets channels;
    private final ChannelWatching channelWatching;
    private final long waitGranularityNanos;

    NettyIoKind(String label, NettySockets channels, ChannelWatching channelWatching, long waitGranularityNanos) {
        this.label = label;
        this.channels = channels;
        this.channelWatching = channelWatching;
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

    /** How {@code addReader}/{@code addWriter} watch a raw {@code SelectableChannel} on this kind. */
    ChannelWatching channelWatching() {
        return channelWatching;
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
            throw new UnsupportedOperationException("TCP, TLS and UDP need an NIO, epoll or io_uring event loop; this reactor"
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
            if (loop.isIoType(EpollIoHandler.class)) {
                return EPOLL;
            }
        } catch (LinkageError e) {
            // no epoll classes: not an epoll loop
        }
        try {
            return loop.isIoType(IoUringIoHandler.class) ? IO_URING : OTHER;
        } catch (LinkageError e) {
            return OTHER;
        }
    }

    /**
     * The kind for a value of {@code weft.netty.transport}: {@code nio}, {@code epoll} or {@code io_uring} (each
     * native one fails, naming the cause, where it cannot be used here) or {@code auto} (epoll where it loads, else
     * nio, logged once at INFO). Any thread.
     *
     * @param value the option's value; null means {@code nio}
     * @return the kind
     * @throws IllegalStateException    if a native transport is asked for and cannot be used here
     * @throws IllegalArgumentException if the value is not a transport, listing the valid ones
     */
    static NettyIoKind select(String value) {
        return select(value, NettyIoKind::epollUnavailabilityCause, NettyIoKind::ioUringUnavailabilityCause);
    }

    /**
     * {@link #select(String)} with the availability of the native transports given: the decision itself, testable
     * where a transport does load.
     *
     * @param value           the option's value; null means {@code nio}
     * @param epollCause      why epoll cannot be used, or null when it can
     * @param ioUringCause    why io_uring cannot be used, or null when it can
     * @return the kind
     */
    static NettyIoKind select(String value, Supplier<Throwable> epollCause, Supplier<Throwable> ioUringCause) {
        String v = value == null ? "nio" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "nio":
                return NIO;
            case "epoll":
                return requireNative(EPOLL, "Netty's native epoll transport does not load here", epollCause.get());
            case "io_uring":
                return requireNative(IO_URING, "Netty's io_uring transport cannot be used here", ioUringCause.get());
            case "auto": {
                // epoll first: see the README ("The Netty backend") for the measurements behind the order.
                Throwable cause = epollCause.get();
                if (cause == null) {
                    return EPOLL;
                }
                LOG.info("{}=auto: native epoll does not load here ({}); using nio", NettyReactor.TRANSPORT_OPTION,
                        cause.toString());
                return NIO;
            }
            default:
                throw new IllegalArgumentException(NettyReactor.TRANSPORT_OPTION + " must be " + VALUES + ", got '"
                        + value + "'");
        }
    }

    private static NettyIoKind requireNative(NettyIoKind kind, String what, Throwable cause) {
        if (cause != null) {
            throw new IllegalStateException(NettyReactor.TRANSPORT_OPTION + "=" + kind.label + ", but " + what + " ("
                    + cause + "); use nio, or auto to fall back to a transport that works here", cause);
        }
        return kind;
    }

    /** Why io_uring cannot be used here (no native library, a kernel that refuses it), or null when it can. */
    static Throwable ioUringUnavailabilityCause() {
        try {
            return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
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
