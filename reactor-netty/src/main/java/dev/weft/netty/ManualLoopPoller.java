package dev.weft.netty;

import dev.weft.reactor.internal.Loggers;
import dev.weft.reactor.spi.IoPoller;
import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;

/**
 * The wait for I/O of an owned Netty reactor: its {@link ManualIoEventLoop} runs for at most the time to the next
 * deadline ({@code run(timeout)}), on the thread that runs the reactor, which the loop is bound to from its first
 * run. Loop thread, but {@link #wakeUp()} from any thread.
 */
final class ManualLoopPoller implements IoPoller {
    private static final Logger LOG = Loggers.get("dev.weft.reactor");
    private static final Runnable NOOP = () -> { };

    private final ManualIoEventLoop loop;
    private final NettyIoKind kind;
    private final ChannelWatchQueue watches;
    /** Wakes an epoll loop on an interrupt (the JDK ends only its own selectors' waits); null on NIO. */
    private final InterruptWaker interruptWaker;
    /** The watches of addReader/addWriter on a native loop; set once, before the loop runs. */
    private WatchSelector watchSelector;

    ManualLoopPoller(ManualIoEventLoop loop, NettyIoKind kind, ChannelWatchQueue watches) {
        this.loop = loop;
        this.kind = kind;
        this.watches = watches;
        this.interruptWaker = kind == NettyIoKind.NIO ? null : new InterruptWaker(this::wakeUp);
    }

    @Override
    public void poll(long timeoutNanos) {
        watches.applyAll();
        // ManualIoEventLoop.run: 0 waits without limit, -1 does not wait.
        long wait = timeoutNanos < 0 ? 0 : timeoutNanos == 0 ? -1 : timeoutNanos;
        WatchSelector ws = watchSelector;
        if (ws != null && ws.hasWatches() && wait != -1) {
            // A ready watched channel ends the wait before it starts; else the helper wakes the loop.
            if (ws.readyNow()) {
                wait = -1;
            } else {
                ws.arm();
            }
        }
        if (interruptWaker == null) {
            // NIO: what is ready first, without blocking; a wait only when nothing was (a pending wake-up is a
            // task, which counts). Under load there usually is something, and a select that may block costs more
            // than one that may not: on a virtual thread the JDK lends the scheduler another carrier for the time
            // of each blocking select (weft.loop.virtual).
            if (wait == -1 || loop.runNow() == 0) {
                loop.run(wait);
            }
        } else {
            interruptWaker.enter();
            try {
                loop.run(wait);
            } finally {
                interruptWaker.exit();
            }
        }
        if (ws != null && ws.hasWatches()) {
            ws.dispatchReady();
        }
    }

    /**
     * Has each poll select the channels of addReader/addWriter through {@code ws} (native loops). Before the loop
     * runs.
     *
     * @param ws the reactor's watches
     */
    void watchSelector(WatchSelector ws) {
        this.watchSelector = kind.channelWatching() == NettyIoKind.ChannelWatching.HELPER_SELECTOR ? ws : null;
    }

    @Override
    public void wakeUp() {
        // A task, not just wakeup(): the epoll handler's wakeup() is lost if it comes before the loop has armed its
        // wait, while a queued task is seen by that wait's last check (canBlock()).
        try {
            loop.execute(NOOP);
        } catch (RejectedExecutionException e) {
            LOG.error("Unhandled error {} [reactor {}]", "while waking the owned event loop (it is shut down)",
                    NettyReactor.NAME, e);
        }
    }

    @Override
    public long waitGranularityNanos() {
        return kind.waitGranularityNanos();
    }

    @Override
    public void checkLoopThread(Thread thread) {
        if (!loop.inEventLoop(thread)) {
            try {
                loop.setOwningThread(thread);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("this Netty reactor's loop is bound to the first thread that ran"
                        + " it, not " + thread.getName() + ": run it from that thread, or create a new reactor", e);
            }
        }
    }

    /**
     * The loop runs on the thread that calls {@code run()}, a plain thread as a rule. Netty keeps its per-thread
     * caches (the {@code Recycler} of outbound buffer entries, the allocator's thread-local magazines) only for
     * threads that have {@code FastThreadLocal} support, so the loop runs with it: without, every write would
     * allocate a new {@code ChannelOutboundBuffer} entry. The support, and what it cached, ends when the loop returns.
     */
    @Override
    public void runOnThisThread(Runnable passes) {
        if (FastThreadLocalThread.currentThreadHasFastThreadLocal()) {
            passes.run();
        } else {
            FastThreadLocalThread.runWithFastThreadLocal(passes);
        }
    }

    /** Shuts the loop down once the reactor has, running it until it terminates (at most 100 runs). */
    void shutDown() {
        watches.cancelAll();
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.NANOSECONDS);
        for (int i = 0; i < 100 && !loop.isTerminated(); i++) {
            loop.runNow();
        }
    }
}
