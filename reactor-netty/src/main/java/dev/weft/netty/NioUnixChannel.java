package dev.weft.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.AbstractNioByteChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A UNIX domain stream connection on a Netty NIO loop, over a JDK {@code SocketChannel} of family {@code UNIX}.
 *
 * <p>Why not Netty's own {@code NioDomainSocketChannel}: in Netty 4.2.18 the NIO byte channel keeps a connection
 * half-open at the peer's end of stream only when its configuration is a {@link SocketChannelConfig}, and the
 * domain-socket channel's is not, so Netty closes it there: the reply a half-closed peer waits for could never be
 * sent, and a clean close looked like a lost connection. This channel's configuration is a
 * {@code SocketChannelConfig} whose TCP options do nothing (a UNIX socket has none), with half-closure on.
 *
 * <p>Netty calls it on its loop thread, as any channel.
 */
final class NioUnixChannel extends AbstractNioByteChannel implements DuplexChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final UnixConfig config = new UnixConfig(this);
    private volatile boolean inputShut;
    private volatile boolean outputShut;

    /** A new channel, not connected. */
    NioUnixChannel() throws IOException {
        this(null, SocketChannel.open(java.net.StandardProtocolFamily.UNIX));
    }

    /**
     * Wraps a channel, connected (accepted by {@code parent}) or not.
     *
     * @param parent the listening channel that accepted it, or null
     * @param socket the JDK channel
     */
    NioUnixChannel(Channel parent, SocketChannel socket) {
        super(parent, socket);
    }

    @Override
    protected SocketChannel javaChannel() {
        return (SocketChannel) super.javaChannel();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public SocketChannelConfig config() {
        return config;
    }

    @Override
    public boolean isActive() {
        SocketChannel ch = javaChannel();
        return ch.isOpen() && ch.isConnected();
    }

    @Override
    protected SocketAddress localAddress0() {
        try {
            return javaChannel().getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected SocketAddress remoteAddress0() {
        try {
            return javaChannel().getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected void doBind(SocketAddress local) throws Exception {
        javaChannel().bind(local);
    }

    @Override
    protected boolean doConnect(SocketAddress remote, SocketAddress local) throws Exception {
        if (local != null) {
            javaChannel().bind(local);
        }
        boolean connected = javaChannel().connect(remote);
        if (!connected) {
            selectionKey().interestOps(SelectionKey.OP_CONNECT);
        }
        return connected;
    }

    @Override
    protected void doFinishConnect() throws Exception {
        if (!javaChannel().finishConnect()) {
            throw new IOException("the connect did not finish");
        }
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() throws Exception {
        super.doClose();
        javaChannel().close();
    }

    @Override
    protected int doReadBytes(ByteBuf buf) throws Exception {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        handle.attemptedBytesRead(buf.writableBytes());
        return buf.writeBytes(javaChannel(), handle.attemptedBytesRead());
    }

    @Override
    protected int doWriteBytes(ByteBuf buf) throws Exception {
        return buf.readBytes(javaChannel(), buf.readableBytes());
    }

    @Override
    protected long doWriteFileRegion(FileRegion region) throws Exception {
        return region.transferTo(javaChannel(), region.transferred());
    }

    @Override
    protected void doShutdownOutput() throws Exception {
        javaChannel().shutdownOutput();
        outputShut = true;
    }

    @Override
    protected boolean isInputShutdown0() {
        return inputShut;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShut || !isActive();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut || !isActive();
    }

    @Override
    public boolean isShutdown() {
        return (inputShut && outputShut) || !isActive();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        onLoop(() -> {
            try {
                javaChannel().shutdownInput();
                inputShut = true;
                promise.setSuccess();
            } catch (IOException | RuntimeException e) {
                promise.setFailure(e);
            }
        });
        return promise;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        onLoop(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
        return promise;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        ChannelPromise output = newPromise();
        output.addListener(f -> shutdownInput(promise));
        shutdownOutput(output);
        return promise;
    }

    private void onLoop(Runnable r) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    /** The configuration: Netty's options, TCP ones ignored, half-closure on by default. */
    private static final class UnixConfig extends DefaultChannelConfig implements SocketChannelConfig {
        private volatile boolean allowHalfClosure = true;

        UnixConfig(Channel channel) {
            super(channel);
        }

        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
                allowHalfClosure = (Boolean) value;
                return true;
            }
            return super.setOption(option, value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getOption(ChannelOption<T> option) {
            if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
                return (T) Boolean.valueOf(allowHalfClosure);
            }
            return super.getOption(option);
        }

        @Override
        public boolean isAllowHalfClosure() {
            return allowHalfClosure;
        }

        @Override
        public SocketChannelConfig setAllowHalfClosure(boolean allow) {
            allowHalfClosure = allow;
            return this;
        }

        // TCP options: a UNIX socket has none; they read as off and setting them does nothing.

        @Override
        public boolean isTcpNoDelay() {
            return false;
        }

        @Override
        public SocketChannelConfig setTcpNoDelay(boolean on) {
            return this;
        }

        @Override
        public int getSoLinger() {
            return -1;
        }

        @Override
        public SocketChannelConfig setSoLinger(int seconds) {
            return this;
        }

        @Override
        public int getSendBufferSize() {
            return -1;
        }

        @Override
        public SocketChannelConfig setSendBufferSize(int size) {
            return this;
        }

        @Override
        public int getReceiveBufferSize() {
            return -1;
        }

        @Override
        public SocketChannelConfig setReceiveBufferSize(int size) {
            return this;
        }

        @Override
        public boolean isKeepAlive() {
            return false;
        }

        @Override
        public SocketChannelConfig setKeepAlive(boolean on) {
            return this;
        }

        @Override
        public int getTrafficClass() {
            return 0;
        }

        @Override
        public SocketChannelConfig setTrafficClass(int trafficClass) {
            return this;
        }

        @Override
        public boolean isReuseAddress() {
            return false;
        }

        @Override
        public SocketChannelConfig setReuseAddress(boolean on) {
            return this;
        }

        @Override
        public SocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
            return this;
        }

        @Override
        public SocketChannelConfig setConnectTimeoutMillis(int millis) {
            super.setConnectTimeoutMillis(millis);
            return this;
        }

        @Override
        @Deprecated
        public SocketChannelConfig setMaxMessagesPerRead(int max) {
            super.setMaxMessagesPerRead(max);
            return this;
        }

        @Override
        public SocketChannelConfig setWriteSpinCount(int count) {
            super.setWriteSpinCount(count);
            return this;
        }

        @Override
        public SocketChannelConfig setAllocator(ByteBufAllocator allocator) {
            super.setAllocator(allocator);
            return this;
        }

        @Override
        public SocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
            super.setRecvByteBufAllocator(allocator);
            return this;
        }

        @Override
        public SocketChannelConfig setAutoRead(boolean autoRead) {
            super.setAutoRead(autoRead);
            return this;
        }

        @Override
        public SocketChannelConfig setAutoClose(boolean autoClose) {
            super.setAutoClose(autoClose);
            return this;
        }

        @Override
        public SocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
            super.setMessageSizeEstimator(estimator);
            return this;
        }

        @Override
        public SocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark mark) {
            super.setWriteBufferWaterMark(mark);
            return this;
        }
    }
}
