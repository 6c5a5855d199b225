package dev.weft.bench.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The raw Netty baseline of the echo server: each read buffer is written back as it is, and flushed once per read
 * batch at {@code channelReadComplete}; while the channel is not writable it stops reading. One event loop thread of
 * nio, epoll or io_uring, no Weft code.
 *
 * <p>{@code java ... RawNettyEchoServer PORT [nio|epoll|io_uring] [LOOPS]} (one event loop by default): prints {@code listening on PORT} and serves until killed.
 */
public final class RawNettyEchoServer {

    private RawNettyEchoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: RawNettyEchoServer PORT [nio|epoll|io_uring] [LOOPS]");
            System.exit(2);
        }
        String transport = NettyServers.transport(args.length > 1 ? args[1] : null);
        int loops = NettyServers.loops(args.length > 2 ? args[2] : null);
        NettyServers.serve("raw-netty-echo", Ports.parse(args[0]), transport, loops, Echo::new);
    }

    /** Writes back what it reads. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
