package dev.weft.netty;

import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.internal.Loggers;
import dev.weft.reactor.internal.StandIn;
import dev.weft.reactor.internal.Warmup;
import dev.weft.reactor.spi.AcceptedConnection;
import dev.weft.reactor.spi.ConnectionAttempt;
import dev.weft.reactor.spi.HostedLoop;
import dev.weft.reactor.spi.Interest;
import dev.weft.reactor.spi.IoPoller;
import dev.weft.reactor.spi.ListeningPortBase;
import dev.weft.reactor.spi.MemberGroup;
import dev.weft.reactor.spi.NetworkReactorBase;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;

/**
 * The Weft reactor on a Netty 4.2 event loop, owned or attached: two final classes behind the factories
 * ({@link OwnedNettyReactor}, {@link AttachedNettyReactor}); this class holds what both share (the descriptors
 * watched through Netty, the channels' events, the networking, the factories hosted by {@link ProtocolHandler}).
 *
 * <p><b>Owned</b> ({@link #create()}): the reactor makes a {@link ManualIoEventLoop} and drives it from the thread
 * that calls {@code run()}, {@code runUntil()} or {@code iterate()}, so its threading is that of the untwisted
 * reactor. The loop is bound to the first thread that runs it: running the reactor later from another thread is
 * refused. The transport is {@code nio} by default; {@value #TRANSPORT_OPTION} selects {@code epoll} or
 * {@code io_uring} (native, Linux) or {@code auto}.
 *
 * <p><b>Attached</b> ({@link #attach(EventLoop)}): the reactor borrows one {@link IoEventLoop} of an existing Netty
 * server and runs every callback on that loop's thread, between the server's own tasks. Start it with the
 * non-blocking {@link #startRunning()} (from any thread, including the loop's), or with {@code run()} from another
 * thread, which returns once the reactor has stopped. {@code stop()} releases only what the reactor made (its timer
 * and registrations); the borrowed group is never shut down. If its owner shuts the loop down while the reactor
 * runs, this is logged as an error and a waiting {@code run()} fails.
 *
 * <p>In both modes the contract is that of {@link NetworkReactorBase}: timers live in its heap, and the loop only
 * arranges to wake for the earliest deadline (the owned loop waits at most that long; the attached loop arms one
 * Netty timer).
 * {@code addReader}/{@code addWriter} take any non-blocking {@code SelectableChannel}: on NIO loops it is registered
 * on the loop itself; on epoll and io_uring loops a JDK selector on a helper thread of the reactor watches it and
 * hands its readiness to the loop, level-triggered all the same (see the project README, "The Netty backend").
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
public abstract sealed class NettyReactor extends NetworkReactorBase
        permits OwnedNettyReactor, AttachedNettyReactor {

    /**
     * The name of this backend, as given to {@link dev.weft.reactor.Reactors#create(String)}. A reactor's
     * {@link #backendName()} adds what runs: {@code netty-nio}, {@code netty-epoll} or {@code netty-io_uring} for an
     * owned loop, {@code netty-attached-nio}, {@code netty-attached-epoll} or {@code netty-attached-io_uring} for a
     * reactor attached to a server's loop.
     */
    public static final String NAME = "netty";

    /**
     * The option that selects the transport of an owned reactor: {@code nio} (default), {@code epoll},
     * {@code io_uring} or {@code auto}.
     */
    public static final String TRANSPORT_OPTION = "weft.netty.transport";

    static final Logger LOGGER = Loggers.get(NettyReactor.class);
    static final long ATTACH_TIMEOUT_SECONDS = 10;

    private final IoEventLoop loop;
    private final NettyIoKind kind;
    private final ChannelWatchQueue watches;
    /** Watches channels on epoll and io_uring loops; its thread starts with the first such watch. */
    private final WatchSelector watchSelector = new WatchSelector(this);

    // The factories ProtocolHandlers host on this reactor, each started once (loop thread only).
    private final Map<Factory, Boolean> hostedFactories = new IdentityHashMap<>();
    private boolean hostedStopTrigger;

    /** An owned reactor, whose loop polls by itself. */
    NettyReactor(ReactorConfig config, IoEventLoop loop, NettyIoKind kind, ChannelWatchQueue watches,
            IoPoller poller) {
        super(NAME + "-" + kind.label(loop), config, poller);
        this.loop = loop;
        this.kind = kind;
        this.watches = watches;
    }

    /** An attached reactor, whose passes the borrowed loop runs. */
    NettyReactor(ReactorConfig config, IoEventLoop loop, NettyIoKind kind, ChannelWatchQueue watches,
            HostedLoop driver) {
        super(NAME + "-attached-" + kind.label(loop), config, driver);
        this.loop = loop;
        this.kind = kind;
        this.watches = watches;
    }

    // ---------------------------------------------------------------- creation

    /**
     * Creates an owned reactor configured from system properties and environment variables, on the transport
     * {@value #TRANSPORT_OPTION} names. May be called from any thread.
     *
     * @return a reactor that has not run
     * @throws IllegalStateException    if {@code epoll} or {@code io_uring} is asked for and cannot be used here (the
     *                                  native library does not load, or the kernel refuses io_uring), naming the cause
     * @throws IllegalArgumentException if an option is malformed
     */
    public static NettyReactor create() {
        return create(ReactorConfig.fromEnvironment(), ReactorConfig.option(TRANSPORT_OPTION, "nio"));
    }

    /**
     * Creates an owned reactor on the given transport, configured from system properties and environment
     * variables. May be called from any thread.
     *
     * @param transport {@code nio}, {@code epoll}, {@code io_uring} or {@code auto}
     * @return a reactor that has not run
     * @throws IllegalStateException    if {@code epoll} or {@code io_uring} is asked for and cannot be used here (the
     *                                  native library does not load, or the kernel refuses io_uring), naming the cause
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
     * @param transport {@code nio}, {@code epoll}, {@code io_uring} or {@code auto}
     * @return a reactor that has not run
     * @throws IllegalStateException    if {@code epoll} or {@code io_uring} is asked for and cannot be used here (the
     *                                  native library does not load, or the kernel refuses io_uring), naming the cause
     * @throws IllegalArgumentException if the transport is unknown
     */
    public static NettyReactor create(ReactorConfig config, String transport) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(transport, "transport");
        NettyIoKind kind = NettyIoKind.select(transport);
        String label = kind.label(null);
        Warmup.firstConnection(NAME + "-" + label, config, c -> create(c, label));
        return new OwnedNettyReactor(config, kind);
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
        NettyIoKind kind = NettyIoKind.of(io);
        if (kind != NettyIoKind.OTHER && !io.inEventLoop()) {
            String label = kind.label(io);
            Warmup.firstConnection(NAME + "-" + label, config, c -> create(c, label));
        }
        return new AttachedNettyReactor(config, io, thread, kind);
    }

    /**
     * Creates a group of {@code size} owned reactors, configured from system properties and environment variables,
     * on the transport {@value #TRANSPORT_OPTION} names: each member drives a loop of its own on the thread the group
     * runs it on (see {@link ReactorGroup}). May be called from any thread.
     *
     * @param size how many reactors, at least 1
     * @return the group, not yet running
     * @throws IllegalArgumentException if {@code size} is less than 1 (the message names {@code size}), or an option
     *                                  is malformed
     * @throws IllegalStateException    if {@code epoll} is asked for and the native library does not load here
     */
    public static ReactorGroup createGroup(int size) {
        return createGroup(ReactorConfig.fromEnvironment(), ReactorConfig.option(TRANSPORT_OPTION, "nio"), size);
    }

    /**
     * Creates a group of {@code size} owned reactors on the given transport; see {@link #createGroup(int)}. May be
     * called from any thread.
     *
     * @param config    the configuration of every member
     * @param transport {@code nio}, {@code epoll} or {@code auto}
     * @param size      how many reactors, at least 1
     * @return the group, not yet running
     * @throws IllegalArgumentException if {@code size} is less than 1, or the transport is unknown
     * @throws IllegalStateException    if {@code epoll} is asked for and the native library does not load here
     */
    public static ReactorGroup createGroup(ReactorConfig config, String transport, int size) {
        MemberGroup.checkSize(size);
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(transport, "transport");
        NettyIoKind.select(transport);
        return MemberGroup.create(size, () -> create(config, transport));
    }

    /**
     * Attaches one reactor to every loop of {@code group}, a running Netty group the caller owns, configured from
     * system properties and environment variables: a {@link ReactorGroup} whose member {@code i} runs its callbacks
     * on the group's {@code i}-th loop (in the group's iteration order). Host Weft protocols on all its loops with
     * {@link ProtocolHandler#ProtocolHandler(ReactorGroup, Factory)}. Start the reactors with the group's
     * {@code run()} (which blocks) or each member's {@link #startRunning()}; neither ever shuts the Netty group down.
     * May be called from any thread but the group's own loops (it waits for each loop to run a task).
     *
     * @param group the Netty group: a {@code MultiThreadIoEventLoopGroup}, say
     * @return the reactor group, not yet running
     * @throws IllegalArgumentException if {@code group} is shut down, or one of its loops is not an
     *                                  {@link IoEventLoop} (the message names the loop's class)
     */
    public static ReactorGroup attachGroup(EventLoopGroup group) {
        return attachGroup(group, ReactorConfig.fromEnvironment());
    }

    /**
     * Attaches one reactor to every loop of {@code group}; see {@link #attachGroup(EventLoopGroup)}.
     *
     * @param group  the Netty group
     * @param config the configuration of every member
     * @return the reactor group, not yet running
     * @throws IllegalArgumentException if {@code group} is shut down, or one of its loops is not an
     *                                  {@link IoEventLoop}
     */
    public static ReactorGroup attachGroup(EventLoopGroup group, ReactorConfig config) {
        Objects.requireNonNull(group, "group must not be null");
        Objects.requireNonNull(config, "config must not be null");
        if (group.isShuttingDown()) {
            throw new IllegalArgumentException("cannot attach reactors to group " + group + ": it is shut down (or"
                    + " shutting down)");
        }
        List<IoEventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            if (!(e instanceof IoEventLoop)) {
                throw new IllegalArgumentException("cannot attach reactors to group " + group + ": its loop " + e
                        + " is a " + e.getClass().getName() + ", not an io.netty.channel.IoEventLoop, so it cannot"
                        + " watch I/O; use a MultiThreadIoEventLoopGroup");
            }
            loops.add((IoEventLoop) e);
        }
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("cannot attach reactors to group " + group + ": it has no loops");
        }
        List<NettyReactor> reactors = new ArrayList<>(loops.size());
        for (IoEventLoop loop : loops) {
            reactors.add(attach(loop, config));
        }
        return MemberGroup.of(reactors);
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
    public final IoEventLoop eventLoop() {
        return loop;
    }

    /**
     * Whether this reactor runs on a borrowed loop. May be called from any thread.
     *
     * @return true if made by {@link #attach(EventLoop)}
     */
    public abstract boolean isAttached();

    /**
     * The transport of the loop: {@code nio}, {@code epoll}, or the loop's class name for others. May be called
     * from any thread.
     *
     * @return the transport name
     */
    public final String transport() {
        return kind.label(loop);
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
    public abstract void startRunning();

    // ---------------------------------------------------------------- descriptors

    /**
     * Watches a user's channel: on an NIO loop through a {@link ChannelWatch}, applied at once on the loop thread
     * while the reactor dispatches, else at the start of the next pass; on an epoll or io_uring loop through a
     * {@link SelectorWatch} on the reactor's {@link WatchSelector} helper thread.
     *
     * @throws UnsupportedOperationException from addReader/addWriter on a loop that is neither NIO, epoll nor io_uring
     */
    @Override
    protected final void interestChanged(Interest interest) {
        if (inBody()) {
            StandIn.runByActingThread(() -> interestChanged(interest));
            return;
        }
        switch (kind.channelWatching()) {
            case LOOP:
                watchOnLoop(interest);
                return;
            case HELPER_SELECTOR:
                watchOnHelper(interest);
                return;
            default:
                if (!interest.isEmpty()) {
                    throw new UnsupportedOperationException((interest.reader() != null ? "addReader" : "addWriter")
                            + " watches a java.nio SelectableChannel, which this reactor's loop cannot do: it runs on "
                            + transport() + ". Use an NIO, epoll or io_uring loop, or a Netty channel on this loop"
                            + " instead of a raw SelectableChannel");
                }
        }
    }

    private void watchOnLoop(Interest interest) {
        ChannelWatch w = interest.attachment(ChannelWatch.class);
        if (w == null) {
            if (interest.isEmpty()) {
                return;
            }
            w = new ChannelWatch(this, descriptors(), interest);
            interest.attach(w);
        }
        w.want();
        if (loop.inEventLoop() && dispatching()) {
            w.applyOrLog();
        } else {
            watches.requeue(w);
        }
    }

    private void watchOnHelper(Interest interest) {
        SelectorWatch w = interest.attachment(SelectorWatch.class);
        if (w == null) {
            if (interest.isEmpty()) {
                return;
            }
            w = new SelectorWatch(this, descriptors(), interest);
            interest.attach(w);
        }
        w.want();
        watchSelector.apply(w);
    }

    /** The watches of {@code addReader}/{@code addWriter} on an epoll or io_uring loop. Any thread. */
    final WatchSelector watchSelector() {
        return watchSelector;
    }

    /** Wakes the loop from its wait for I/O, with a task that does nothing. Any thread. */
    final void wakeLoop() {
        loop.execute(() -> { });
    }

    /** Ends the helper thread of {@link #watchOnHelper}, if any, at shutdown. Loop thread. */
    final void closeWatchSelector() {
        watchSelector.close();
    }

    /** The watches waiting for the loop thread. Any thread. */
    final ChannelWatchQueue watchQueue() {
        return watches;
    }

    /** Whether I/O readiness may be dispatched now: always on an owned loop, while the passes run when attached. */
    abstract boolean dispatching();

    /** After I/O was dispatched: an attached loop runs a pass next, as the owned loop does after its poll. */
    abstract void dispatched();

    // ---------------------------------------------------------------- networking

    @Override
    protected final ListeningPortBase openUnixPort(String path, Factory factory, int backlog,
            Consumer<AcceptedConnection> handOff) throws IOException {
        if (inBody()) {
            return StandIn.callByActingThread(() -> openUnixPort(path, factory, backlog, handOff));
        }
        return NettyListeningPort.listenUnix(this, path, factory, backlog, handOff);
    }

    /**
     * True for another Netty reactor on the same kind of loop (nio, epoll or io_uring): a child channel accepted here
     * registers with its loop, as a {@code ServerBootstrap}'s child group does. Any thread.
     */
    @Override
    protected final boolean canHandConnectionsTo(NetworkReactorBase other) {
        return kind != NettyIoKind.OTHER && other instanceof NettyReactor && ((NettyReactor) other).kind == kind;
    }

    @Override
    protected final ListeningPort openTcpPort(int port, Factory factory, int backlog, String iface, SSLContext tls,
            Consumer<AcceptedConnection> handOff) {
        if (inBody()) {
            return StandIn.callByActingThread(() -> openTcpPort(port, factory, backlog, iface, tls, handOff));
        }
        return NettyListeningPort.listen(this, port, factory, backlog, iface, tls, false, handOff);
    }

    /** True on nio where the JDK offers {@code SO_REUSEPORT}, and on epoll. Any thread. */
    @Override
    protected final boolean canShareTcpPorts() {
        return kind != NettyIoKind.OTHER && channels().sharesPorts();
    }

    @Override
    protected final ListeningPort openSharedTcpPort(int port, Factory factory, int backlog, String iface) {
        if (inBody()) {
            return StandIn.callByActingThread(() -> openSharedTcpPort(port, factory, backlog, iface));
        }
        return NettyListeningPort.listen(this, port, factory, backlog, iface, null, true, null);
    }

    @Override
    protected final Supplier<ConnectionAttempt> connectionAttempts() {
        channels();
        return () -> new NettyConnectAttempt(this);
    }

    @Override
    protected final DatagramTransport openUdpPort(int port, DatagramProtocol protocol, String iface,
            int maxPacketSize) {
        if (inBody()) {
            return StandIn.callByActingThread(() -> openUdpPort(port, protocol, iface, maxPacketSize));
        }
        return NettyDatagramPort.listen(this, port, protocol, iface, maxPacketSize);
    }

    /**
     * The channel classes of this reactor's loop.
     *
     * @throws UnsupportedOperationException if the loop is neither NIO nor epoll
     */
    final NettySockets channels() {
        return kind.channels(transport());
    }

    /**
     * Runs an event of one of the reactor's channels (a read, a connection accepted or made, an error), on the loop
     * thread: at once while the reactor runs, else when it next runs (an attached loop goes on with its I/O when
     * the reactor is not running), in the order the events came.
     *
     * @param event what to tell the connection, port or connector
     */
    abstract void onLoop(Runnable event);

    /**
     * Runs {@code event} through {@link #onLoop(Runnable)} on a later turn of the loop: for an event that Netty
     * raised from inside a call the connection made (a write that failed at once, for instance).
     *
     * @param event the event
     */
    final void onLoopLater(Runnable event) {
        try {
            loop.execute(() -> onLoop(event));
        } catch (RejectedExecutionException e) {
            // The loop is shut down: the channel is closed, and its connection lost already.
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
    final boolean runOnLoop(Runnable op) {
        if (loop.inEventLoop()) {
            op.run();
            return true;
        }
        if (inBody()) {
            StandIn.runByActingThread(() -> runOnLoop(op));
            return true;
        }
        return runFromAnotherThread(op);
    }

    /**
     * Whether the calling thread is a coroutine body standing in for the loop thread (the loop thread waits for it
     * in a strict hand-off). Netty decides by thread identity: called from such a body, a channel would queue the
     * body's writes as tasks behind the loop's later ones, and a wait for a loop task would never end. So every
     * entry of this backend into Netty checks this first and, when true, hands itself to the loop thread with
     * {@link StandIn#runByActingThread}, which runs it while the body waits: same effects, same order as from a
     * callback. Any thread; the plain thread comparison first.
     *
     * @return true on a body standing in for the loop thread
     */
    final boolean inBody() {
        return !loop.inEventLoop() && isReactorThread();
    }

    /** {@link #runOnLoop(Runnable)} off the loop thread: false when the loop cannot run {@code op} now. */
    abstract boolean runFromAnotherThread(Runnable op);

    /** Runs {@code op} as a task of {@code loop} and waits for it (at most 10 s). */
    static void runAndWait(IoEventLoop loop, Runnable op) {
        try {
            loop.submit(op).get(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
     * Closes the channel of a port of this reactor and, where it can, releases the port before returning: at once on
     * the loop thread or through an attached loop; from another thread on an owned loop not running, at once if Netty has
     * not registered it yet, else when the loop next runs.
     *
     * @param ch the channel
     */
    final void closeNow(Channel ch) {
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
    final void hostFactory(Factory factory) {
        if (hostedFactories.containsKey(factory)) {
            return;
        }
        if (!hostedStopTrigger) {
            hostedStopTrigger = true;
            addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, this::stopHostedFactories);
        }
        hostedFactories.put(factory, Boolean.TRUE);
        try {
            // The reactors of a group may host one factory at once: its count of users is kept under its monitor.
            synchronized (factory) {
                factory.doStart();
            }
        } catch (Throwable t) {
            logError("in startFactory of " + factory, t);
        }
    }

    private void stopHostedFactories() {
        List<Factory> factories = new ArrayList<>(hostedFactories.keySet());
        hostedFactories.clear();
        for (Factory f : factories) {
            try {
                synchronized (f) {
                    f.doStop();
                }
            } catch (Throwable t) {
                logError("in stopFactory of " + f, t);
            }
        }
    }

    /** Logs an error of a channel of this reactor, with what raised it. Any thread. */
    final void log(String what, Throwable t) {
        logError(what, t);
    }
}
