package dev.weft.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The raw Netty baseline of the RESP server: the commands of the Weft {@code resp} example written directly on Netty
 * 4.2, with no Weft code, on one event loop thread of nio, epoll or io_uring.
 *
 * <p>Pipeline: {@link RespFrameDecoder} then {@link Handler}. The replies to the commands of one read batch are
 * encoded into one buffer and written and flushed once, at {@code channelReadComplete} (a buffer over 64 KiB is
 * written earlier, and flushed with the rest). While the channel is not writable it stops reading, as the Weft
 * example stops producing.
 *
 * <p>{@code java ... RawNettyRespServer PORT [nio|epoll|io_uring] [LOOPS]} (one event loop by default; with more, each
 * command holds the store's lock): prints {@code listening on PORT} and serves until killed.
 */
public final class RawNettyRespServer {

    private RawNettyRespServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: RawNettyRespServer PORT [nio|epoll|io_uring] [LOOPS]");
            System.exit(2);
        }
        String transport = NettyServers.transport(args.length > 1 ? args[1] : null);
        int loops = NettyServers.loops(args.length > 2 ? args[2] : null);
        RawStore store = new RawStore();
        // Several loops share the store: each command holds its lock, as the Weft example does on a reactor group.
        Object lock = loops > 1 ? store : null;
        NettyServers.serve("raw-netty-resp", Ports.parse(args[0]), transport, loops,
                RespFrameDecoder::new, () -> new Handler(store, lock));
    }

    /** Runs the decoded commands of one connection against the shared store. */
    static final class Handler extends ChannelInboundHandlerAdapter {

        private static final int FLUSH_AT = 64 * 1024;

        private final RawStore store;
        private final Object lock;
        private final BufWriter out = new BufWriter();
        private ChannelHandlerContext ctx;
        private boolean closing;

        Handler(RawStore store) {
            this(store, null);
        }

        Handler(RawStore store, Object lock) {
            this.store = store;
            this.lock = lock;
        }

        private boolean execute(byte[][] argv) {
            if (lock == null) {
                return RawRespCommands.execute(store, argv, argv.length, out);
            }
            synchronized (lock) {
                return RawRespCommands.execute(store, argv, argv.length, out);
            }
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closing) {
                return;
            }
            if (msg instanceof byte[][]) {
                byte[][] argv = (byte[][]) msg;
                if (!execute(argv)) {
                    closing = true;
                }
            } else {
                out.error(((RespFrameDecoder.ProtocolError) msg).message);
                closing = true;
            }
            if (out.buf != null && out.buf.readableBytes() >= FLUSH_AT) {
                ctx.write(out.buf, ctx.voidPromise());
                out.buf = null;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ByteBuf b = out.buf;
            out.buf = null;
            if (closing) {
                ctx.writeAndFlush(b == null ? Unpooled.EMPTY_BUFFER : b)
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (b != null) {
                ctx.write(b, ctx.voidPromise());
            }
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && !closing) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (out.buf != null) {
                out.buf.release();
                out.buf = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** Encodes replies into a buffer of the channel's allocator, made when the first reply of a batch comes. */
        private final class BufWriter extends ReplyWriter {
            ByteBuf buf;

            private ByteBuf buf(int extra) {
                ByteBuf b = buf;
                if (b == null) {
                    b = ctx.alloc().ioBuffer(Math.max(256, extra));
                    buf = b;
                }
                return b;
            }

            @Override
            void put(byte b) {
                buf(1).writeByte(b);
            }

            @Override
            void put(byte[] b, int off, int len) {
                buf(len).writeBytes(b, off, len);
            }
        }
    }
}
