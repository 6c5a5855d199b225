package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.TcpSpread;
import dev.weft.reactor.TriggerId;
import dev.weft.reactor.internal.Loggers;
import dev.weft.reactor.internal.NetChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The one implementation of {@link ReactorGroup}, for every backend: N reactors, each run by {@code run()} on a
 * thread of its own, stopped together, sharing TCP ports through {@code SO_REUSEPORT}
 * ({@link NetworkReactorBase#openSharedTcpPort}) or through one acceptor that deals its connections to the members
 * ({@link ConnectionDealer}), as chosen by {@code weft.group.tcp} ({@link GroupTcpPlan}), and UNIX sockets through
 * one acceptor. A backend only makes the members ({@link #create(int, Supplier)},
 * {@link #of(List)}). See {@link ReactorGroup} for the contract.
 *
 * <p>Thread-safe. Before {@code run()}, calls on the members are made directly on the calling thread (under the
 * group's lock, so {@code run()} waits for them); while the group runs, through each member's
 * {@code callFromThread} or {@code blockingCallFromThread}.
 *
 * <p>For implementors of backends; users get groups from {@code Reactors.createGroup}.
 */
public final class MemberGroup implements ReactorGroup {

    private static final Logger LOG = Loggers.get("dev.weft.reactor");
    private static final AtomicInteger GROUPS = new AtomicInteger();

    /**
     * Whether the kernel spreads the connections of a port over the sockets bound to it with {@code SO_REUSEPORT}:
     * Linux does (since 3.9, by a hash of the connection's addresses); BSD and macOS accept the option but give every
     * connection to one socket, and Windows has no such option.
     */
    private static final boolean REUSE_PORT_BALANCES =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

    private final int id = GROUPS.incrementAndGet();
    private final List<Reactor> members;
    private final Object lock = new Object();
    /** The thread each member runs its callbacks on, once it started. */
    private final Map<Thread, Integer> memberThreads = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The dealers of the group's one-acceptor ports: what they handed to members that never took it is closed at the end. */
    private final List<ConnectionDealer> dealers = new CopyOnWriteArrayList<>();
    private GroupState state = GroupState.NOT_STARTED; // guarded by lock

    private MemberGroup(List<Reactor> members) {
        this.members = List.copyOf(members);
        for (int i = 0; i < this.members.size(); i++) {
            int index = i;
            // The first startup trigger of each member tells which thread it runs callbacks on.
            this.members.get(i).addSystemEventTrigger(Phase.BEFORE, ReactorCore.STARTUP, () -> {
                memberThreads.put(Thread.currentThread(), index);
            });
        }
    }

    /**
     * Makes a group of {@code size} new reactors. Any thread.
     *
     * @param size    how many members, at least 1
     * @param reactor makes one new, not yet running reactor per call
     * @return the group, not running
     * @throws IllegalArgumentException if {@code size} is less than 1 (the message names {@code size})
     * @throws NullPointerException     if {@code reactor} is null or returns null
     */
    public static ReactorGroup create(int size, Supplier<? extends Reactor> reactor) {
        checkSize(size);
        Objects.requireNonNull(reactor, "reactor must not be null");
        List<Reactor> members = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            members.add(Objects.requireNonNull(reactor.get(), "the reactor supplier returned null"));
        }
        return new MemberGroup(members);
    }

    /**
     * Makes a group of reactors made already (the Netty backend's reactors attached to each loop of a user's group).
     * Any thread.
     *
     * @param members the members, not yet running, at least one
     * @return the group, not running
     * @throws IllegalArgumentException if {@code members} is empty
     * @throws NullPointerException     if {@code members} or one of them is null
     */
    public static ReactorGroup of(List<? extends Reactor> members) {
        Objects.requireNonNull(members, "members must not be null");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty");
        }
        return new MemberGroup(new ArrayList<>(members));
    }

    /**
     * Checks the size of a group to be made. Any thread.
     *
     * @param size the size asked for
     * @throws IllegalArgumentException if {@code size} is less than 1 (the message names {@code size})
     */
    public static void checkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size (the number of reactors in the group) must be at least 1: "
                    + size);
        }
    }

    @Override
    public int size() {
        return members.size();
    }

    @Override
    public Reactor member(int index) {
        if (index < 0 || index >= members.size()) {
            throw new IllegalArgumentException("index must be from 0 to " + (members.size() - 1) + " (the group has "
                    + members.size() + " members): " + index);
        }
        return members.get(index);
    }

    @Override
    public List<Reactor> members() {
        return members;
    }

    @Override
    public void callFromThread(int member, Runnable f) {
        if (member < 0 || member >= members.size()) {
            throw new IllegalArgumentException("member must be from 0 to " + (members.size() - 1) + " (the group has "
                    + members.size() + " members): " + member);
        }
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        members.get(member).callFromThread(f);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void run() {
        synchronized (lock) {
            switch (state) {
                case RUNNING, STOPPING -> throw new ReactorAlreadyRunningException("the reactor group is running");
                case STOPPED -> throw new ReactorNotRestartableException("the reactor group ran already; a group"
                        + " runs once");
                case NOT_STARTED -> state = GroupState.RUNNING;
            }
        }
        List<Thread> threads = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            Reactor m = members.get(i);
            Thread t = new Thread(() -> runMember(m), "weft-group-" + id + "-member-" + i);
            threads.add(t);
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    // As for a single reactor: an interrupt of the thread that runs it asks it to stop.
                    interrupted = true;
                    stopQuietly();
                }
            }
        }
        synchronized (lock) {
            state = GroupState.STOPPED;
        }
        for (ConnectionDealer d : dealers) {
            d.closeUntaken();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException("a member of the reactor group failed: " + f, f);
        }
    }

    private void runMember(Reactor m) {
        try {
            m.run();
        } catch (Throwable t) {
            if (!failure.compareAndSet(null, t)) {
                LOG.error("Unhandled error in run() of a member of reactor group {} (another member failed first)",
                        id, t);
            }
            stopQuietly();
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            switch (state) {
                case NOT_STARTED -> throw new ReactorNotRunningException("the reactor group is not running: call"
                        + " run() first");
                case STOPPING, STOPPED -> throw new ReactorNotRunningException("the reactor group is stopping"
                        + " already");
                case RUNNING -> state = GroupState.STOPPING;
            }
        }
        askMembersToStop();
    }

    private void stopQuietly() {
        synchronized (lock) {
            if (state != GroupState.RUNNING) {
                return;
            }
            state = GroupState.STOPPING;
        }
        askMembersToStop();
    }

    private void askMembersToStop() {
        for (Reactor m : members) {
            m.callFromThread(() -> {
                try {
                    m.stop();
                } catch (ReactorNotRunningException e) {
                    // stopping on its own already
                }
            });
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lock) {
            return state == GroupState.RUNNING || state == GroupState.STOPPING;
        }
    }

    // ---------------------------------------------------------------- calls on every member

    /** What is done on one member, on its thread (or before the group runs). */
    @FunctionalInterface
    private interface MemberCall<T> {
        T call(int index, Reactor member);
    }

    /**
     * Calls {@code call} on member {@code index} and returns its result: at once before the group runs (the caller
     * holds the lock), else on the member's thread, waited for.
     */
    private <T> T callOn(boolean direct, int index, MemberCall<T> call) {
        Reactor m = members.get(index);
        if (direct) {
            return call.call(index, m);
        }
        try {
            return m.blockingCallFromThread(() -> Deferred.succeed(call.call(index, m)));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("failed on member " + index + " of the reactor group: " + e, e);
        }
    }

    /** Whether calls on members are made directly (before run), checking the caller may make them at all. */
    private boolean directCalls(String method) {
        // Called with the lock held.
        return switch (state) {
            case NOT_STARTED -> true;
            case RUNNING -> {
                if (memberThreads.containsKey(Thread.currentThread())) {
                    throw new IllegalStateException(method + " on a reactor group was called from " + Thread
                            .currentThread().getName() + ", a thread of one of its members, while the group runs: it"
                            + " waits for each member in turn, so call it before run() or from a thread outside the"
                            + " group");
                }
                yield false;
            }
            case STOPPING, STOPPED -> throw new IllegalStateException(method + " on a reactor group that is stopping"
                    + " or stopped");
        };
    }

    @Override
    public List<TriggerId> addSystemEventTrigger(Phase phase, String event, MemberTrigger trigger) {
        Objects.requireNonNull(phase, "phase must not be null");
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(trigger, "trigger must not be null");
        synchronized (lock) {
            if (directCalls("addSystemEventTrigger")) {
                return addTriggers(true, phase, event, trigger);
            }
        }
        return addTriggers(false, phase, event, trigger);
    }

    private List<TriggerId> addTriggers(boolean direct, Phase phase, String event, MemberTrigger trigger) {
        List<TriggerId> ids = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            ids.add(callOn(direct, i, (index, m) -> m.addSystemEventTrigger(phase, event, () -> trigger.fire(index))));
        }
        return List.copyOf(ids);
    }

    @Override
    public ListeningPort listenTCP(int port, Factory factory, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        synchronized (lock) {
            if (directCalls("listenTCP")) {
                return bindTcp(true, port, factory, backlog, iface);
            }
        }
        return bindTcp(false, port, factory, backlog, iface);
    }

    /** The group's setting for TCP ports: member 0's configuration ({@code weft.group.tcp}). */
    private TcpSpread tcpSpread() {
        Reactor first = members.get(0);
        return first instanceof ReactorBase ? ((ReactorBase) first).config().groupTcp() : TcpSpread.AUTO;
    }

    /** Whether every member's backend can bind a share of a port ({@code SO_REUSEPORT}). */
    private boolean everyMemberShares() {
        for (Reactor m : members) {
            if (!(m instanceof NetworkReactorBase) || !((NetworkReactorBase) m).canShareTcpPorts()) {
                return false;
            }
        }
        return true;
    }

    private ListeningPort bindTcp(boolean direct, int port, Factory factory, int backlog, String iface) {
        TcpSpread asked = tcpSpread();
        List<NetworkReactorBase> adopters = adoptingMembers();
        GroupTcpPlan plan = GroupTcpPlan.choose(asked, members.size(), REUSE_PORT_BALANCES, everyMemberShares(),
                adopters != null);
        switch (plan) {
            case SHARES:
                return bindShares(direct, port, factory, backlog, iface);
            case ACCEPTOR:
                return bindAcceptor(direct, adopters, factory, (m, share, handOff) -> m.listenTcp(port, share,
                        backlog, iface, handOff));
            default:
                if (members.size() > 1) {
                    LOG.info("member 0 of reactor group {} alone serves port {} ({}={}: {})", id, port,
                            ReactorConfig.GROUP_TCP, asked, GroupTcpPlan.whyAlone(asked));
                }
                ListeningPort only = callOn(direct, 0, (i, m) -> m.listenTCP(port, factory, backlog, iface));
                return new GroupPort(this, List.of(only));
        }
    }

    private ListeningPort bindShares(boolean direct, int port, Factory factory, int backlog, String iface) {
        List<ListeningPort> shares = new ArrayList<>(members.size());
        int bound = port;
        try {
            for (int i = 0; i < members.size(); i++) {
                int p = bound;
                ShareFactory share = new ShareFactory(factory);
                ListeningPort s = callOn(direct, i, (index, m) -> ((NetworkReactorBase) m).listenSharedTCP(p, share,
                        backlog, iface));
                shares.add(s);
                bound = s.getHost().getPort();
            }
        } catch (RuntimeException | Error e) {
            // Close what was bound, each on its own member; nothing is left listening.
            for (int i = 0; i < shares.size(); i++) {
                ListeningPort s = shares.get(i);
                onMemberLater(direct, i, s::stopListening);
            }
            throw e;
        }
        return new GroupPort(this, shares);
    }

    @Override
    public ListeningPort listenUNIX(String path, Factory factory, int backlog, int mode, boolean wantPID) {
        NetChecks.listenUnix(path, factory, backlog, mode);
        synchronized (lock) {
            if (directCalls("listenUNIX")) {
                return bindUnix(true, path, factory, backlog, mode, wantPID);
            }
        }
        return bindUnix(false, path, factory, backlog, mode, wantPID);
    }

    /** The members as network reactors, if member 0 can hand its accepted connections to every one; else null. */
    private List<NetworkReactorBase> adoptingMembers() {
        if (members.size() < 2 || !(members.get(0) instanceof NetworkReactorBase)) {
            return null;
        }
        NetworkReactorBase acceptor = (NetworkReactorBase) members.get(0);
        List<NetworkReactorBase> all = new ArrayList<>(members.size());
        for (Reactor m : members) {
            if (!(m instanceof NetworkReactorBase) || !acceptor.canHandConnectionsTo((NetworkReactorBase) m)) {
                return null;
            }
            all.add((NetworkReactorBase) m);
        }
        return all;
    }

    private ListeningPort bindUnix(boolean direct, String path, Factory factory, int backlog, int mode,
            boolean wantPID) {
        List<NetworkReactorBase> adopters = adoptingMembers();
        if (adopters == null) {
            if (members.size() > 1) {
                LOG.info("member 0 of reactor group {} cannot hand its connections to the other members (backends or"
                        + " loops differ): it alone serves the UNIX socket {}", id, path);
            }
            ListeningPort only = callOn(direct, 0, (i, m) -> m.listenUNIX(path, factory, backlog, mode, wantPID));
            return new GroupPort(this, List.of(only));
        }
        return bindAcceptor(direct, adopters, factory, (m, share, handOff) -> m.listenUnix(path, share, backlog,
                mode, wantPID, handOff));
    }

    /** Binds the listening socket of a port's one acceptor, on member 0, handing its connections on. */
    @FunctionalInterface
    private interface AcceptorBind {
        ListeningPort bind(NetworkReactorBase member0, Factory share, Consumer<AcceptedConnection> handOff);
    }

    /**
     * Serves a port (TCP or UNIX) with one acceptor, member 0, that deals each accepted connection to the members in
     * turn ({@link ConnectionDealer}); the factory is called through one {@link ShareFactory}, so {@code startFactory}
     * runs once when the socket is bound and {@code stopFactory} once when it is closed.
     */
    private ListeningPort bindAcceptor(boolean direct, List<NetworkReactorBase> adopters, Factory factory,
            AcceptorBind bind) {
        ShareFactory share = new ShareFactory(factory);
        ConnectionDealer dealer = new ConnectionDealer(adopters, 0, share);
        ListeningPort acceptor = callOn(direct, 0, (i, m) -> bind.bind((NetworkReactorBase) m, share,
                dealer::handOff));
        dealers.add(dealer);
        return new GroupPort(this, List.of(acceptor));
    }

    /**
     * Runs {@code r} on member {@code index}'s thread through its {@code callFromThread}, or at once on this thread
     * when {@code direct}.
     */
    private void onMemberLater(boolean direct, int index, Runnable r) {
        if (direct) {
            r.run();
        } else {
            members.get(index).callFromThread(r);
        }
    }

    /**
     * The index of the member whose thread is the calling thread, or -1. Any thread.
     *
     * @return the member's index, or -1
     */
    int memberOfCallingThread() {
        Integer i = memberThreads.get(Thread.currentThread());
        return i == null ? -1 : i;
    }

    /**
     * Whether calls on members are made on the calling thread now (the group has not run, or has ended). Any thread.
     *
     * @return whether members are not running
     */
    boolean membersIdle() {
        synchronized (lock) {
            return state == GroupState.NOT_STARTED || state == GroupState.STOPPED;
        }
    }

    /**
     * Runs {@code r} on member {@code index}: at once on this thread when the group has not run or has stopped,
     * else through the member's {@code callFromThread}. For {@link GroupPort#stopListening()}.
     */
    void onMember(int index, Runnable r) {
        synchronized (lock) {
            if (state == GroupState.NOT_STARTED || state == GroupState.STOPPED) {
                r.run();
                return;
            }
        }
        members.get(index).callFromThread(r);
    }

    @Override
    public String toString() {
        return "ReactorGroup[" + id + ", " + members.size() + " members]";
    }
}
