package dev.weft.examples.resp;

import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.ReactorTime;
import dev.weft.task.LoopingCall;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A key-value server speaking the Redis protocol (RESP2): the factory of its connections, over one
 * {@link RespStore} shared by all of them.
 *
 * <p>Start one with {@link #listen(Reactor, String, int)}; it runs unchanged on any backend. While it listens, a
 * {@link LoopingCall} removes expired keys once a second (started by {@link #startFactory()}, stopped by
 * {@link #stopFactory()} when the last port stops).
 *
 * <p>Use it on the reactor thread (or before the reactor runs).
 */
public final class RespServer extends Factory {

    /** The listen backlog, Redis's default {@code tcp-backlog}. */
    static final int BACKLOG = 511;

    /** How often expired keys are swept, in seconds. */
    static final double SWEEP_INTERVAL = 1.0;

    private final RespStore store;
    private final ReactorTime clock;
    /** What every command holds when the connections of a reactor group share the store; null on one reactor. */
    private final Object commandLock;
    private LoopingCall sweeper;
    /** The id of the last connection built; HELLO reports each connection's id. */
    private long lastClientId;

    /**
     * A server over {@code store}, sweeping expired keys on {@code clock}.
     *
     * @param store the store its connections share
     * @param clock the reactor (or a test clock) that runs the sweep
     */
    public RespServer(RespStore store, ReactorTime clock) {
        this(store, clock, null);
    }

    private RespServer(RespStore store, ReactorTime clock, Object commandLock) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.commandLock = commandLock;
    }

    /**
     * Listens on {@code host:port} with every member of {@code group}, over one new store that the connections of
     * every member share: each command runs holding the store's lock (as Redis runs every command on one thread,
     * whatever its {@code io-threads}), and member 0 sweeps expired keys, under the same lock. Call it before the
     * group runs, or from a thread outside the group.
     *
     * @param group the group
     * @param host  the address to bind
     * @param port  the port; 0 picks a free one
     * @return the port served by the whole group
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    public static ListeningPort listen(ReactorGroup group, String host, int port) {
        Reactor sweeperReactor = group.member(0);
        RespStore store = new RespStore(sweeperReactor);
        ListeningPort listening = group.listenTCP(port, new RespServer(store, sweeperReactor, store), BACKLOG, host);
        group.callFromThread(0, () -> {
            LoopingCall sweep = new LoopingCall(sweeperReactor, () -> {
                synchronized (store) {
                    store.purgeExpired();
                }
            });
            sweep.start(SWEEP_INTERVAL, false);
            sweeperReactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, sweep::stop);
        });
        return listening;
    }

    /**
     * Listens on {@code host:port} with a new, empty store.
     *
     * @param reactor the reactor, on any backend
     * @param host    the address to bind, e.g. {@code 127.0.0.1}
     * @param port    the port; 0 picks a free one, readable from {@link ListeningPort#getHost()}
     * @return the bound port
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    public static ListeningPort listen(Reactor reactor, String host, int port) {
        return listen(reactor, host, port, new RespStore(reactor));
    }

    /**
     * Listens on {@code host:port} with the given store.
     *
     * @param reactor the reactor, on any backend
     * @param host    the address to bind
     * @param port    the port; 0 picks a free one
     * @param store   the store
     * @return the bound port
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    public static ListeningPort listen(Reactor reactor, String host, int port, RespStore store) {
        return reactor.listenTCP(port, new RespServer(store, reactor), BACKLOG, host);
    }

    /**
     * A one-line synopsis of each supported command, for help texts.
     *
     * @return the synopses, in the order of the command table
     */
    public static List<String> commandSummaries() {
        List<String> list = new ArrayList<>();
        for (RespCommands.Command c : RespCommands.all()) {
            list.add(c.summary);
        }
        return list;
    }

    /**
     * The store its connections share.
     *
     * @return the store
     */
    public RespStore store() {
        return store;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        Protocol p = new RespProtocol(store, ++lastClientId, commandLock);
        p.setFactory(this);
        return p;
    }

    @Override
    protected void startFactory() {
        if (commandLock != null) {
            return; // a group's member 0 sweeps (see listen(ReactorGroup, ...))
        }
        sweeper = new LoopingCall(clock, store::purgeExpired);
        sweeper.start(SWEEP_INTERVAL, false);
    }

    @Override
    protected void stopFactory() {
        if (sweeper != null && sweeper.isRunning()) {
            sweeper.stop();
        }
        sweeper = null;
    }
}
