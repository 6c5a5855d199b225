package dev.weft.netty;

import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.spi.Interest;
import dev.weft.reactor.spi.ReactorBase;
import dev.weft.reactor.spi.ReactorConfig;
import dev.weft.reactor.spi.Warmup;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Weft reactor on a Netty 4.2 event loop, in one of two modes.
 *
 * <p><b>Owned</b> ({@link #create()}): the reactor makes a {@link ManualIoEventLoop} and drives it from the thread
 * that calls {@code run()}, {@code runUntil()} or {@code iterate()}, so its threading is that of the untwisted
 * reactor. The loop is bound to the first thread that runs it: running the reactor later from another thread is
 * refused. The transport is {@code nio} by default; {@value #TRANSPORT_OPTION} selects {@code epoll} (native, Linux)
 * or {@code auto}.
 *
 * <p><b>Attached</b> ({@link #attach(EventLoop)}): the reactor borrows one {@link IoEventLoop} of an existing Netty
 * server and runs every callback on that loop's thread, between the server's own tasks. Start it with the
 * non-blocking {@link #startRunning()} (from any thread, including the loop's), or with {@code run()} from another
 * thread, which returns once the reactor has stopped. {@code stop()} releases only what the reactor made (its timer
 * and registrations); the borrowed group is never shut down. If its owner shuts the loop down while the reactor
 * runs, this is logged as an error and a waiting {@code run()} fails.
 *
 * <p>In both modes the contract is that of {@link ReactorBase}: timers live in its heap, and the loop only arranges
 * to wake for the earliest deadline (the owned loop waits at most that long; the attached loop arms one Netty timer).
 * {@code addReader}/{@code addWriter} take any non-blocking {@code SelectableChannel} on NIO loops; on epoll loops
 * they throw {@link UnsupportedOperationException} (see the project README, "The Netty backend").
 *
 * <p>TCP, TLS and UDP use Netty channels of the reactor's loop ({@code nio} or {@code epoll}), with the
 * connection contract of {@link dev.weft.reactor.spi.StreamTransport} and the other bases of
 * {@code dev.weft.reactor.spi} (TLS is their {@code SSLEngine} layer, not Netty's {@code SslHandler}). A listen
 * call binds its socket on the calling thread before it returns, whether or not the loop runs. On an attached loop,
 * what the channels of the reactor see while it is not running (before {@code startRunning()}, after a
 * {@code crash()}) waits for it to run; {@code stop()} closes only the reactor's own channels.
 *
 * <p>Thread rules are those of {@link dev.weft.reactor.Reactor}, the reactor thread being the loop's thread.
 */
public final class NettyReactor extends ReactorBase {

    /** The name of this backend. */
    public static final String NAME = "netty";

    /** The option that selects the transport of an owned reactor: {@code nio} (default), {@code epoll} or {@code auto}. */
    public static final String TRANSPORT_OPTION = "weft.netty.transport";

    private static final Logger LOGGER = LoggerFactory.getLogger(NettyReactor.class);
    private static final long ATTACH_TIMEOUT_SECONDS = 10;
    private static final Runnable NOOP = () -> { };

    private final IoEventLoop loop;
    private final ManualIoEventLoop manual;
    private final Thread loopThread;
    private static final long NIO_WAIT_UNIT_NANOS = 1_000_000L;

    private final String transport;
    private final boolean nio;
    /** Wakes an owned epoll loop on an interrupt (the JDK ends only its own selectors' waits); null otherwise. */
    private final InterruptWaker interruptWaker;
    private final ConcurrentLinkedQueue<ChannelWatch> queued = new ConcurrentLinkedQueue<>();

    // Attached mode: the passes run as tasks on the borrowed loop.
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final Runnable wake = this::wakeOnLoop;
    private final Runnable timerTask = this::timerFired;
    private volatile boolean active;
    private boolean inPass;
    private boolean blockingEntry;
    private BooleanSupplier until;
    private boolean startup;
    private boolean iterating;
    private long iterateDeadline;
    private int passes;
    private boolean ioSeen;
    private volatile CompletableFuture<Void> ended;
    private ScheduledFuture<?> timer;
    private long timerDeadline;

    // Channel events that came while an attached reactor was not running (loop thread only).
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private boolean shutDown;

    // The factories ProtocolHandlers host on this reactor, each started once (loop thread only).
    private final Map<Factory, Boolean> hostedFactories = new IdentityHashMap<>();
    private boolean hostedStopTrigger;

    private NettyReactor(ReactorConfig config, IoEventLoop loop, ManualIoEventLoop manual, Thread loopThread,
            String transport, boolean nio) {
        super(NAME, config);
        this.loop = loop;
        this.manual = manual;
        this.loopThread = loopThread;
        this.transport = transport;
        this.nio = nio;
        this.interruptWaker = manual != null && !nio ? new InterruptWaker(this::wakeUp) : null;
    }

    // ---------------------------------------------------------------- creation

    /**
     * Creates an owned reactor configured from system properties and environment variables, on the transport
     * {@value #TRANSPORT_OPTION} names. May be called from any thread.
     *
     * @return a reactor that has not run
     * @throws IllegalStateException    if {@code epoll} is asked for and the native library does not load here
     * @throws IllegalArgumentException if an option is malformed
     */
    public static NettyReactor create() {
        return create(ReactorConfig.fromEnvironment(), ReactorConfig.option(TRANSPORT_OPTION, "nio"));
    }

    /**
     * Creates an owned reactor on the given transport, configured from system properties and environment
     * variables. May be called from any thread.
     *
     * @param transport {@code nio}, {@code epoll} or {@code auto}
     * @return a reactor that has not run
     * @throws IllegalStateException    if {@code epoll} is asked for and the native library does not load here
     * @throws IllegalArgumentException if the transport is unknown
     */
    public static NettyReactor create(String transport) {
        return create(ReactorConfig.fromEnvironment(), transport);
    }

    /**
     * Creates an owned reactor: a {@link ManualIoEventLoop} on the given transport, driven by the thread that runs
     * the reactor. May be called from any thread. The first one of the JVM on a transport makes a loopback
     * connection first ({@link Warmup}), so that what Netty loads on first use is not loaded on the loop.
     *
     * @param config    the configuration
     * @param transport {@code nio}, {@code epoll} or {@code auto}
     * @return a reactor that has not run
     * @throws IllegalStateException    if {@code epoll} is asked for and the native library does not load here
     * @throws IllegalArgumentException if the transport is unknown
     */
    public static NettyReactor create(ReactorConfig config, String transport) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(transport, "transport");
        NettyTransport t = NettyTransport.select(transport);
        Warmup.firstConnection(NAME + "-" + t.label(), config, c -> create(c, t.label()));
        ManualIoEventLoop manual = new OwnedEventLoop(t);
        return new NettyReactor(config, manual, manual, null, t.label(), t == NettyTransport.NIO);
    }

    /**
     * Creates a reactor attached to {@code eventLoop}, a loop of a running Netty group the caller owns, configured
     * from system properties and environment variables. May be called from any thread; from another thread it
     * waits (at most 10 s) for the loop to run one task.
     *
     * @param eventLoop the loop to run on; it must be an {@link IoEventLoop} that is not shut down
     * @return a reactor that has not run; start it with {@link #startRunning()} or {@code run()}
     * @throws IllegalArgumentException if the loop is not an {@code IoEventLoop} or is shut down
     */
    public static NettyReactor attach(EventLoop eventLoop) {
        return attach(eventLoop, ReactorConfig.fromEnvironment());
    }

    /**
     * Creates a reactor attached to {@code eventLoop}; see {@link #attach(EventLoop)}. May be called from any thread.
     * The first one of the JVM on a transport (nio, epoll) makes a loopback connection first, on an owned loop of its
     * own ({@link Warmup}), unless it is called on {@code eventLoop}'s thread.
     *
     * @param eventLoop the loop to run on
     * @param config    the configuration
     * @return a reactor that has not run
     * @throws IllegalArgumentException if the loop is not an {@code IoEventLoop} or is shut down
     */
    public static NettyReactor attach(EventLoop eventLoop, ReactorConfig config) {
        Objects.requireNonNull(eventLoop, "eventLoop");
        Objects.requireNonNull(config, "config");
        if (!(eventLoop instanceof IoEventLoop)) {
            throw new IllegalArgumentException("cannot attach a reactor to " + eventLoop + ": it is a "
                    + eventLoop.getClass().getName() + ", not an io.netty.channel.IoEventLoop, so it cannot watch I/O;"
                    + " attach to a loop of a MultiThreadIoEventLoopGroup");
        }
        IoEventLoop io = (IoEventLoop) eventLoop;
        if (io.isShuttingDown()) {
            throw new IllegalArgumentException("cannot attach a reactor to " + eventLoop + ": it is shut down");
        }
        if (io instanceof ManualIoEventLoop) {
            throw new IllegalArgumentException("cannot attach a reactor to " + eventLoop + ": a ManualIoEventLoop has"
                    + " no thread of its own; use NettyReactor.create() for a reactor that drives its own loop");
        }
        Thread thread = loopThread(io);
        boolean nio = io.isCompatible(NioSelectableChannelIoHandle.class);
        String transport = nio ? "nio" : isEpoll(io) ? "epoll" : io.getClass().getSimpleName();
        if ((nio || transport.equals("epoll")) && !io.inEventLoop()) {
            Warmup.firstConnection(NAME + "-" + transport, config, c -> create(c, transport));
        }
        NettyReactor r = new NettyReactor(config, io, null, thread, transport, nio);
        io.terminationFuture().addListener(f -> r.loopGone(null));
        return r;
    }

    private static boolean isEpoll(IoEventLoop io) {
        try {
            return io.isIoType(EpollIoHandler.class);
        } catch (LinkageError e) {
            return false;
        }
    }

    private static Thread loopThread(IoEventLoop io) {
        if (io.inEventLoop()) {
            return Thread.currentThread();
        }
        try {
            return io.submit(Thread::currentThread).get(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalArgumentException("cannot attach a reactor to " + io + ": it is shut down", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalArgumentException("cannot attach a reactor to " + io + ": it did not run a task within "
                    + ATTACH_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while attaching a reactor to " + io, e);
        }
    }

    // ---------------------------------------------------------------- public extras

    /**
     * The event loop every callback of this reactor runs on; pin Netty channels the reactor uses to it. May be
     * called from any thread.
     *
     * @return the owned {@link ManualIoEventLoop}, or the borrowed loop
     */
    public IoEventLoop eventLoop() {
        return loop;
    }

    /**
     * Whether this reactor runs on a borrowed loop. May be called from any thread.
     *
     * @return true if made by {@link #attach(EventLoop)}
     */
    public boolean isAttached() {
        return manual == null;
    }

    /**
     * The transport of the loop: {@code nio}, {@code epoll}, or the loop's class name for others. May be called
     * from any thread.
     *
     * @return the transport name
     */
    public String transport() {
        return transport;
    }

    /**
     * Starts an attached reactor without blocking: the startup triggers, then every callback, run on the loop's
     * thread until {@code stop()} or {@code crash()}. May be called from any thread, including the loop's own.
     * Unlike {@code run()}, it installs no JVM shutdown hook: the server that owns the loop owns the process.
     *
     * @throws UnsupportedOperationException            on an owned reactor (it runs on the thread that calls
     *                                                  {@code run()})
     * @throws dev.weft.reactor.ReactorAlreadyRunningException  if it is running
     * @throws dev.weft.reactor.ReactorNotRestartableException if it was stopped
     * @throws IllegalStateException                    if the loop was shut down
     */
    public void startRunning() {
        if (manual != null) {
            throw new UnsupportedOperationException("startRunning() is for attached reactors; an owned reactor runs"
                    + " its loop on the thread that calls run()");
        }
        CompletableFuture<Void> done = startDriven(() -> false, true, false, -1);
        if (done.isCompletedExceptionally()) {
            await(done);
        }
    }

    @Override
    public String toString() {
        return "NettyReactor[" + (manual == null ? "attached to " + loop : "owned, " + transport) + "]";
    }

    // ---------------------------------------------------------------- the loop

    @Override
    protected void checkLoopThread(Thread thread) {
        if (manual != null) {
            if (!manual.inEventLoop(thread)) {
                try {
                    manual.setOwningThread(thread);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("this Netty reactor's loop is bound to the first thread that ran"
                            + " it, not " + thread.getName() + ": run it from that thread, or create a new reactor", e);
                }
            }
        } else if (blockingEntry && loop.inEventLoop()) {
            throw new IllegalStateException("run(), runUntil() and iterate() of a reactor attached to " + loop
                    + " cannot be called on that loop's own thread: they would wait for the loop they block forever;"
                    + " call startRunning() there, or run() from another thread");
        }
    }

    /**
     * An owned loop runs on the thread that calls {@code run()}, a plain thread as a rule. Netty keeps its per-thread
     * caches (the {@code Recycler} of outbound buffer entries, the allocator's thread-local magazines) only for
     * threads that have {@code FastThreadLocal} support, so the loop runs with it: without, every write allocated
     * a new {@code ChannelOutboundBuffer} entry (about 140 ns a message in the echo profile, against 30 ns recycled
     * on Netty's own threads). The support, and what it cached, ends when the loop returns.
     */
    @Override
    protected void runLoop(BooleanSupplier until) {
        if (manual != null) {
            if (FastThreadLocalThread.currentThreadHasFastThreadLocal()) {
                super.runLoop(until);
            } else {
                FastThreadLocalThread.runWithFastThreadLocal(() -> super.runLoop(until));
            }
        } else {
            awaitStoppingOnInterrupt(startDriven(until, true, true, -1));
        }
    }

    /**
     * Waits in {@code run()} for an attached loop to end. An interrupt of the waiting thread asks the reactor to stop
     * (as an interrupt of an owned loop's thread does) and the wait goes on until the shutdown is done; the flag is
     * consumed. The loop's own thread is Netty's: an interrupt of it is Netty's business, but one that comes while
     * a pass of the reactor runs (from a callback) is seen by the reactor, and taken as a stop, at the end of that pass.
     */
    private void awaitStoppingOnInterrupt(CompletableFuture<Void> done) {
        while (true) {
            try {
                done.get();
                return;
            } catch (InterruptedException e) {
                callFromThread(this::stopOnInterrupt);
            } catch (ExecutionException e) {
                await(done);
                return;
            }
        }
    }

    @Override
    protected void iterateLoop(long maxTimeoutNanos) {
        if (manual != null) {
            super.iterateLoop(maxTimeoutNanos);
        } else {
            await(startDriven(null, false, true, maxTimeoutNanos));
        }
    }

    /**
     * An owned loop on NIO: Netty's {@code NioIoHandler} waits in {@code Selector.select(long)}, in whole
     * milliseconds, rounding to the nearest, so a timer could fire up to half a millisecond late; the loop waits
     * whole milliseconds and polls for the rest, as the untwisted reactor does. epoll waits on a timer descriptor
     * in nanoseconds and needs no rounding.
     */
    @Override
    protected long waitGranularityNanos() {
        return manual != null && nio ? NIO_WAIT_UNIT_NANOS : 0;
    }

    @Override
    protected void doIteration(long timeoutNanos) {
        flushQueued();
        // ManualIoEventLoop.run: 0 waits without limit, -1 does not wait.
        long wait = timeoutNanos < 0 ? 0 : timeoutNanos == 0 ? -1 : timeoutNanos;
        if (interruptWaker == null) {
            manual.run(wait);
            return;
        }
        interruptWaker.enter();
        try {
            manual.run(wait);
        } finally {
            interruptWaker.exit();
        }
    }

    @Override
    protected void wakeUp() {
        if (manual != null) {
            // A task, not just wakeup(): the epoll handler's wakeup() is lost if it comes before the loop has
            // armed its wait, while a queued task is seen by that wait's last check (canBlock()).
            try {
                manual.execute(NOOP);
            } catch (RejectedExecutionException e) {
                logError("while waking the owned event loop (it is shut down)", e);
            }
        } else {
            requestPass();
        }
    }

    @Override
    protected void onShutdown() {
        for (ChannelWatch w; (w = queued.poll()) != null; ) {
            w.queued = false;
            w.cancel();
        }
        if (manual != null) {
            manual.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
            for (int i = 0; i < 100 && !manual.isTerminated(); i++) {
                manual.runNow();
            }
        } else {
            cancelTimer();
            shutDown = true;
            // What came for channels that are closed now: each event finds its connection lost or its port stopped.
            for (Runnable e; (e = held.poll()) != null; ) {
                runEvent(e);
            }
        }
    }

    // ---------------------------------------------------------------- descriptors

    private void checkNio(String method) {
        if (!nio) {
            throw new UnsupportedOperationException(method + " watches a java.nio SelectableChannel, which only an NIO"
                    + " event loop can do; this reactor runs on " + transport + ". Use the nio transport ("
                    + TRANSPORT_OPTION + "=nio, or attach to a loop of a NioIoHandler group), or a Netty channel"
                    + " on this loop instead of a raw SelectableChannel");
        }
    }

    /** Throws {@link UnsupportedOperationException} from addReader/addWriter on an epoll (or other non-NIO) loop. */
    @Override
    protected void interestChanged(Interest interest) {
        if (!nio) {
            if (!interest.isEmpty()) {
                checkNio(interest.reader() != null ? "addReader" : "addWriter");
            }
            return;
        }
        ChannelWatch w = (ChannelWatch) interest.driverState;
        if (w == null) {
            if (interest.isEmpty()) {
                return;
            }
            w = new ChannelWatch(this, interest);
            interest.driverState = w;
        }
        w.want();
        if (loop.inEventLoop() && (manual != null || active)) {
            apply(w);
        } else {
            requeue(w);
        }
    }

    /** Queues a watch to be applied on the loop thread at the start of the next pass. Any thread. */
    void requeue(ChannelWatch w) {
        if (!w.queued) {
            w.queued = true;
            queued.add(w);
        }
    }

    private void flushQueued() {
        for (ChannelWatch w; (w = queued.poll()) != null; ) {
            w.queued = false;
            apply(w);
        }
    }

    private void apply(ChannelWatch w) {
        try {
            w.apply();
        } catch (Exception e) {
            logError("while registering " + w + " with the Netty event loop", e);
        }
    }

    /** Whether I/O readiness may be dispatched now: always in owned mode, while the loop runs when attached. */
    boolean dispatching() {
        return manual != null || active;
    }

    void read(Interest interest) {
        dispatchRead(interest);
    }

    void write(Interest interest) {
        dispatchWrite(interest);
    }

    /** After I/O was dispatched: an attached loop runs a pass next, as the owned loop does after its poll. */
    void dispatched() {
        if (manual == null) {
            ioSeen = true;
            requestPass();
        }
    }

    // ---------------------------------------------------------------- attached driving

    /**
     * {@inheritDoc}
     *
     * <p>On an attached reactor, a {@code callLater}, {@code reset} or {@code delay} made on the loop thread outside
     * the reactor's passes (from a Netty handler) brings the next pass forward when it is due earlier than the armed
     * timer.
     */
    @Override
    protected void earliestDeadlineChanged() {
        if (manual == null && active && !inPass && loop.inEventLoop()) {
            requestPass();
        }
    }

    private CompletableFuture<Void> startDriven(BooleanSupplier runUntil, boolean fireStartup, boolean blocking,
            long iterateNanos) {
        blockingEntry = blocking;
        try {
            enterLoop(loopThread);
        } finally {
            blockingEntry = false;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        iterating = iterateNanos >= 0;
        iterateDeadline = iterating ? System.nanoTime() + Math.min(iterateNanos, Long.MAX_VALUE / 4) : 0;
        until = iterating ? () -> passes > 0 && (ioSeen || System.nanoTime() - iterateDeadline >= 0) : runUntil;
        startup = fireStartup;
        passes = 0;
        ioSeen = false;
        ended = done;
        active = true;
        requestPass();
        return done;
    }

    /**
     * Asks for a pass as soon as possible, after the loop's next poll for I/O. Any thread. Every pass runs from the
     * one Netty timer: a due scheduled task is taken into a batch of tasks only when the batch starts, after the
     * poll, and with one timer at most one pass runs per batch, so a pass always follows a poll, as in the owned
     * loop.
     */
    private void requestPass() {
        if (loop.inEventLoop()) {
            arm(0);
        } else if (wakeQueued.compareAndSet(false, true)) {
            try {
                loop.execute(wake);
            } catch (RejectedExecutionException e) {
                wakeQueued.set(false);
                loopGone(e);
            }
        }
    }

    private void wakeOnLoop() {
        wakeQueued.set(false);
        if (active) {
            arm(0);
        }
    }

    /** One pass on the loop thread, then arranges for the next: after I/O, a wake-up, or the earliest deadline. */
    private void timerFired() {
        timer = null;
        if (!active) {
            return;
        }
        long t;
        inPass = true;
        try {
            flushQueued();
            t = drivenPass(until, startup);
        } catch (Throwable e) {
            logError("in a pass of the reactor attached to " + loop, e);
            t = 0;
        } finally {
            inPass = false;
        }
        if (t == LOOP_ENDED) {
            active = false;
            cancelTimer();
            ended.complete(null);
            return;
        }
        passes++;
        flushHeld();
        if (!active) {
            return;
        }
        if (iterating) {
            long left = Math.max(0, iterateDeadline - System.nanoTime());
            t = t < 0 ? left : Math.min(t, left);
        }
        if (t >= 0) {
            arm(t);
        }
    }

    /**
     * Arms the one Netty timer for {@code nanos} from now, unless it is already armed for that or earlier. On the
     * loop thread.
     */
    private void arm(long nanos) {
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        if (timer != null && timerDeadline - deadline <= 0) {
            return;
        }
        cancelTimer();
        timerDeadline = deadline;
        try {
            timer = loop.schedule(timerTask, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            loopGone(e);
        }
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        timer = null;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** The borrowed loop was shut down by its owner (or refused a task) while the reactor ran. Any thread. */
    private void loopGone(Throwable cause) {
        CompletableFuture<Void> done = ended;
        if (!active || done == null || done.isDone()) {
            return;
        }
        active = false;
        IllegalStateException e = new IllegalStateException("the Netty event loop " + loop + " that this reactor is"
                + " attached to was shut down by its owner while the reactor was running; its pending delayed calls"
                + " and callFromThread calls will never run", cause);
        LOGGER.error("{}", e.getMessage(), e);
        done.completeExceptionally(e);
    }

    private static void await(CompletableFuture<Void> done) {
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new ReactorNotRunningException("the reactor's loop failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reactor's loop to end", e);
        }
    }

    // ---------------------------------------------------------------- networking

    @Override
    protected ListeningPort openTcpPort(int port, Factory factory, int backlog, String iface, SSLContext tls) {
        return NettyListeningPort.listen(this, port, factory, backlog, iface, tls);
    }

    @Override
    protected Supplier<NettyConnectAttempt> connectionAttempts() {
        channels();
        return () -> new NettyConnectAttempt(this);
    }

    @Override
    protected DatagramTransport openUdpPort(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        return NettyDatagramPort.listen(this, port, protocol, iface, maxPacketSize);
    }

    /**
     * The channel classes of this reactor's loop.
     *
     * @throws UnsupportedOperationException if the loop is neither NIO nor epoll
     */
    NettySockets channels() {
        if (nio) {
            return NettySockets.NIO;
        }
        if ("epoll".equals(transport)) {
            return NettySockets.EPOLL;
        }
        throw new UnsupportedOperationException("TCP, TLS and UDP need an NIO or epoll event loop; this reactor runs"
                + " on " + transport);
    }

    /**
     * Runs an event of one of the reactor's channels (a read, a connection accepted or made, an error), on the loop
     * thread: at once while the reactor runs, else when it next runs (an attached loop goes on with its I/O when
     * the reactor is not running), in the order the events came.
     *
     * @param event what to tell the connection, port or connector
     */
    void onLoop(Runnable event) {
        if (manual != null || shutDown) {
            // An owned loop does I/O only inside doIteration (and at shutdown): the reactor is running.
            runEvent(event);
        } else if (active && passes > 0 && held.isEmpty()) {
            // Not before the first pass of this run: active is set as run()/startRunning() returns control, but
            // the startup event fires in that first pass; an event that comes in between waits for it (flushHeld).
            // (Read active first: it is volatile, and startDriven resets passes before setting it.)
            runEvent(event);
            dispatched();
        } else {
            held.add(event);
            if (active) {
                requestPass();
            }
        }
    }

    /**
     * Runs {@code event} through {@link #onLoop(Runnable)} on a later turn of the loop: for an event that Netty
     * raised from inside a call the connection made (a write that failed at once, for instance).
     *
     * @param event the event
     */
    void onLoopLater(Runnable event) {
        try {
            loop.execute(() -> onLoop(event));
        } catch (RejectedExecutionException e) {
            // The loop is shut down: the channel is closed, and its connection lost already.
        }
    }

    private void flushHeld() {
        boolean ran = false;
        for (Runnable e; active && (e = held.poll()) != null; ) {
            runEvent(e);
            ran = true;
        }
        if (ran && active) {
            dispatched();
        }
    }

    private void runEvent(Runnable event) {
        try {
            event.run();
        } catch (Throwable t) {
            logError("in an event of a Netty channel", t);
        }
    }

    /**
     * Runs {@code op} on the loop thread and returns once it has run: inline on the loop thread; on another thread,
     * for an attached loop, as a task waited for (at most 10 s). An owned loop not driven by this thread cannot run
     * it now: then it returns false without running it.
     *
     * @param op what to run
     * @return whether {@code op} ran
     * @throws IllegalStateException if the attached loop did not run it in time
     */
    boolean runOnLoop(Runnable op) {
        if (loop.inEventLoop()) {
            op.run();
            return true;
        }
        if (manual != null) {
            return false;
        }
        try {
            loop.submit(op).get(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("failed on the event loop " + loop + ": " + cause, cause);
        } catch (TimeoutException | RejectedExecutionException e) {
            throw new IllegalStateException("the event loop " + loop + " did not run a task within "
                    + ATTACH_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event loop " + loop, e);
        }
    }

    /**
     * Closes the channel of a port of this reactor and, where it can, releases the port before returning: at once on the loop
     * thread or through an attached loop; from another thread on an owned loop not running, at once if Netty has
     * not registered it yet, else when the loop next runs.
     *
     * @param ch the channel
     */
    void closeNow(Channel ch) {
        if (runOnLoop(() -> channels().closePort(ch, loop))) {
            return;
        }
        if (!ch.isRegistered()) {
            // Closes the socket now; the registration waiting on the loop then fails and forgets the channel.
            ch.unsafe().closeForcibly();
        }
        ch.close();
    }

    /**
     * A {@link ProtocolHandler} starts a connection with {@code factory}: the first time a factory serves on this
     * reactor, its {@code doStart} runs, and a {@code doStop} is arranged for the reactor's shutdown, after the
     * hosted connections got {@code connectionLost} (a {@code DURING} trigger: those run after the connections are
     * closed). Reactor thread.
     *
     * @param factory the factory of the handler
     */
    void hostFactory(Factory factory) {
        if (hostedFactories.containsKey(factory)) {
            return;
        }
        if (!hostedStopTrigger) {
            hostedStopTrigger = true;
            addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, this::stopHostedFactories);
        }
        hostedFactories.put(factory, Boolean.TRUE);
        try {
            factory.doStart();
        } catch (Throwable t) {
            logError("in startFactory of " + factory, t);
        }
    }

    private void stopHostedFactories() {
        List<Factory> factories = new ArrayList<>(hostedFactories.keySet());
        hostedFactories.clear();
        for (Factory f : factories) {
            try {
                f.doStop();
            } catch (Throwable t) {
                logError("in stopFactory of " + f, t);
            }
        }
    }

    /** Logs an error of a channel of this reactor, with what raised it. */
    void log(String what, Throwable t) {
        logError(what, t);
    }
}
