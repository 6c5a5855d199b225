package dev.weft.netty;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.reactor.internal.NetChecks;
import dev.weft.reactor.internal.StandIn;
import dev.weft.reactor.spi.DatagramPortBase;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;

/**
 * A UDP port on a Netty datagram channel of the reactor's loop. The socket is bound on the calling thread before
 * {@link #listen} returns (see {@link NettySockets}); reads use a buffer of the maximum packet size.
 */
final class NettyDatagramPort extends DatagramPortBase {

    private final NettyReactor reactor;
    private final Channel ch;
    private final InetSocketAddress address;
    private boolean closed;
    private boolean broadcast;
    /**
     * The peer of a socket connected through its descriptor (io_uring, see {@link NettySockets#connectsDatagramNatively()}),
     * to which every datagram is addressed; null otherwise. Reactor thread.
     */
    private InetSocketAddress nativePeer;

    private NettyDatagramPort(NettyReactor reactor, DatagramProtocol protocol, int maxPacketSize, Channel ch,
            InetSocketAddress address) {
        super(reactor, protocol, maxPacketSize);
        this.reactor = reactor;
        this.ch = ch;
        this.address = address;
    }

    /**
     * Binds a UDP port and starts the protocol: {@code listenUDP}, arguments checked.
     *
     * @throws CannotListenException if the port cannot be bound
     */
    static NettyDatagramPort listen(NettyReactor reactor, int port, DatagramProtocol protocol, String iface,
            int maxPacketSize) {
        NettySockets channels = reactor.channels();
        InetSocketAddress bind;
        try {
            bind = NetChecks.bindAddress(iface, port);
        } catch (IOException e) {
            throw new CannotListenException(InetSocketAddress.createUnresolved(iface, port), e);
        }
        Channel ch;
        try {
            ch = channels.bindDatagram(bind);
        } catch (IOException | RuntimeException e) {
            throw new CannotListenException(bind, e);
        }
        SocketAddress local = ch.localAddress();
        NettyDatagramPort p = new NettyDatagramPort(reactor, protocol, maxPacketSize, ch,
                NettySockets.reported(bind, local));
        ChannelFuture registered;
        try {
            ch.config().setOption(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxPacketSize));
            ch.pipeline().addLast(p.new Handler());
            registered = NettySockets.register(reactor.eventLoop(), ch);
        } catch (RuntimeException e) {
            ch.unsafe().closeForcibly();
            throw new CannotListenException(bind, e);
        }
        if (registered.isDone() && !registered.isSuccess()) {
            ch.unsafe().closeForcibly();
            throw new CannotListenException(bind, registered.cause());
        }
        p.listening();
        return p;
    }

    @Override
    protected void sendDatagram(byte[] data, InetSocketAddress to) throws IOException {
        if (reactor.inBody()) {
            StandIn.<Void, IOException>callByActingThread(() -> {
                sendDatagram(data, to);
                return null;
            });
            return;
        }
        InetSocketAddress target = to == null ? nativePeer : to;
        Object msg = target == null ? Unpooled.wrappedBuffer(data)
                : new DatagramPacket(Unpooled.wrappedBuffer(data), target);
        ChannelFuture f = ch.writeAndFlush(msg);
        if (f.isDone()) {
            if (!f.isSuccess()) {
                throw asIOException(f.cause());
            }
            return;
        }
        // Written later (the loop runs it): a failure is reported as it would have been at once.
        f.addListener(done -> {
            if (!done.isSuccess()) {
                reactor.onLoop(() -> failed(done.cause()));
            }
        });
    }

    private void failed(Throwable cause) {
        if (closed) {
            return;
        }
        if (NettySockets.isRefusal(cause)) {
            refused();
        } else {
            reactor.log("while sending a datagram from " + this, cause);
        }
    }

    private static IOException asIOException(Throwable cause) {
        if (NettySockets.isRefusal(cause) && !(cause instanceof PortUnreachableException)) {
            PortUnreachableException e = new PortUnreachableException(cause.getMessage());
            e.initCause(cause);
            return e;
        }
        return cause instanceof IOException ? (IOException) cause : new IOException(cause.toString(), cause);
    }

    @Override
    protected void connectChannel(InetSocketAddress peer) throws IOException {
        if (reactor.channels().connectsDatagramNatively()) {
            // Connected at once through the socket itself: Netty's io_uring connects later, and a datagram written
            // meanwhile is lost. The kernel then filters what is read and reports refusals; Netty's channel does not
            // know, so each datagram is addressed to the peer.
            ((io.netty.channel.unix.Socket) ((io.netty.channel.unix.UnixChannel) ch).fd()).connect(peer);
            nativePeer = peer;
            return;
        }
        ChannelFuture[] result = new ChannelFuture[1];
        if (reactor.runOnLoop(() -> result[0] = ch.connect(peer))) {
            ChannelFuture f = result[0];
            if (f.isDone() && !f.isSuccess()) {
                throw asIOException(f.cause());
            }
            return;
        }
        // An owned loop not running yet: Netty connects first thing when it runs, before any read or write.
        ch.connect(peer).addListener(done -> {
            if (!done.isSuccess()) {
                reactor.onLoop(() -> reactor.log("while connecting " + this + " to " + peer, done.cause()));
            }
        });
    }

    @Override
    protected void closeChannel() {
        closed = true;
        reactor.closeNow(ch);
    }

    @Override
    protected void applyBroadcast(boolean enabled) throws IOException {
        try {
            ch.config().setOption(ChannelOption.SO_BROADCAST, enabled);
        } catch (ChannelException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e);
        }
        broadcast = enabled;
    }

    @Override
    protected boolean readBroadcast() {
        if (!closed && ch.isOpen()) {
            try {
                return ch.config().getOption(ChannelOption.SO_BROADCAST);
            } catch (ChannelException e) {
                // closed meanwhile
            }
        }
        return broadcast;
    }

    @Override
    public InetSocketAddress getHost() {
        return address;
    }

    /** The datagram channel's handler. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte[] data;
            InetSocketAddress from;
            try {
                if (!(msg instanceof DatagramPacket)) {
                    return;
                }
                DatagramPacket packet = (DatagramPacket) msg;
                data = ByteBufUtil.getBytes(packet.content());
                from = packet.sender();
            } finally {
                ReferenceCountUtil.release(msg);
            }
            reactor.onLoop(() -> {
                if (!closed) {
                    datagramRead(data, from);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            reactor.onLoop(() -> {
                if (!closed) {
                    failed(cause);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reactor.onLoop(() -> {
                if (!closed) {
                    reactor.log("the UDP socket of " + NettyDatagramPort.this + " was closed by an error", null);
                }
            });
        }
    }
}
