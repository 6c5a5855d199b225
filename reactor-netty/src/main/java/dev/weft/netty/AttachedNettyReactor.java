package dev.weft.netty;

import dev.weft.reactor.ReactorConfig;
import io.netty.channel.IoEventLoop;

/**
 * A Netty reactor attached to one {@link IoEventLoop} of a server the user owns: its passes run as tasks of that
 * loop ({@link AttachedLoop}), between the server's own. Started with {@link #startRunning()} or {@code run()} from
 * another thread; {@code stop()} releases only what the reactor made; the borrowed loop is never shut down. Made by
 * {@link NettyReactor#attach(io.netty.channel.EventLoop)}.
 */
final class AttachedNettyReactor extends NettyReactor {
    private final AttachedLoop passes;

    AttachedNettyReactor(ReactorConfig config, IoEventLoop loop, Thread loopThread, NettyIoKind kind) {
        this(config, loop, loopThread, kind, new ChannelWatchQueue());
    }

    private AttachedNettyReactor(ReactorConfig config, IoEventLoop loop, Thread loopThread, NettyIoKind kind,
            ChannelWatchQueue watches) {
        super(config, loop, kind, watches, pass -> new AttachedLoop(pass, loop, loopThread, watches));
        this.passes = (AttachedLoop) loopDriver();
        loop.terminationFuture().addListener(f -> passes.loopGone(null));
    }

    /** Any thread: true. */
    @Override
    public boolean isAttached() {
        return true;
    }

    /** Any thread, the loop's included. */
    @Override
    public void startRunning() {
        passes.startRunning();
    }

    @Override
    boolean dispatching() {
        return passes.dispatching();
    }

    @Override
    void dispatched() {
        passes.dispatched();
    }

    @Override
    void onLoop(Runnable event) {
        passes.onLoop(event);
    }

    /** As a task of the borrowed loop, waited for (at most 10 s). */
    @Override
    boolean runFromAnotherThread(Runnable op) {
        runAndWait(eventLoop(), op);
        return true;
    }

    /** Cancels what the reactor armed on the borrowed loop and delivers the events held for its channels. */
    @Override
    protected void onShutdown() {
        closeWatchSelector();
        watchQueue().cancelAll();
        passes.shutDown();
    }

    @Override
    public String toString() {
        return "NettyReactor[attached to " + eventLoop() + "]";
    }
}
