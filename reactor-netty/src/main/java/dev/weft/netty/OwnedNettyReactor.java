package dev.weft.netty;

import dev.weft.reactor.ReactorConfig;

/**
 * A Netty reactor that owns its loop: a {@link ManualLoopPoller} over an {@link OwnedEventLoop}, driven by the
 * thread that calls {@code run()}, {@code runUntil()} or {@code iterate()}, so its threading is that of the
 * untwisted reactor. The loop is bound to the first thread that runs it. Made by {@link NettyReactor#create()}.
 */
final class OwnedNettyReactor extends NettyReactor {
    private final ManualLoopPoller poller;

    OwnedNettyReactor(ReactorConfig config, NettyIoKind kind) {
        this(config, kind, new OwnedEventLoop(kind), new ChannelWatchQueue());
    }

    private OwnedNettyReactor(ReactorConfig config, NettyIoKind kind, OwnedEventLoop loop, ChannelWatchQueue watches) {
        this(config, loop, kind, watches, new ManualLoopPoller(loop, kind, watches));
    }

    private OwnedNettyReactor(ReactorConfig config, OwnedEventLoop loop, NettyIoKind kind, ChannelWatchQueue watches,
            ManualLoopPoller poller) {
        super(config, loop, kind, watches, poller);
        this.poller = poller;
        poller.watchSelector(watchSelector());
    }

    /** Any thread: false. */
    @Override
    public boolean isAttached() {
        return false;
    }

    /**
     * Refused: an owned reactor runs its loop on the thread that calls {@code run()}. Any thread.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void startRunning() {
        throw new UnsupportedOperationException("startRunning() is for attached reactors; an owned reactor runs"
                + " its loop on the thread that calls run()");
    }

    /** The loop does I/O only inside a pass's poll (and at shutdown): the reactor is running. Any thread. */
    @Override
    boolean dispatching() {
        return true;
    }

    /** Nothing to do: the next pass follows the poll. Loop thread. */
    @Override
    void dispatched() {
    }

    /**
     * At once: an owned loop does I/O only inside the reactor's passes (and at shutdown). The first event after the
     * loop's wait ends that wait for the blocked-loop detector ({@code ioReady}). Loop thread.
     */
    @Override
    void onLoop(Runnable event) {
        ioReady();
        try {
            event.run();
        } catch (Throwable t) {
            logError("in an event of a Netty channel", t);
        }
    }

    /** An owned loop not driven by this thread cannot run it now. */
    @Override
    boolean runFromAnotherThread(Runnable op) {
        return false;
    }

    /** Shuts the owned loop down. Loop thread. */
    @Override
    protected void onShutdown() {
        closeWatchSelector();
        poller.shutDown();
    }

    @Override
    public String toString() {
        return "NettyReactor[owned, " + transport() + "]";
    }
}
