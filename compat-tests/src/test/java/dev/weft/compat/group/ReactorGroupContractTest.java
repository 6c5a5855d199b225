package dev.weft.compat.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.GroupThread;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.Reactors;
import dev.weft.testing.DeferredAssertions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a {@link ReactorGroup}, on every backend variant: each member on a thread of its own, stop and the
 * shutdown triggers of every member in the documented order, {@code callFromThread} to a chosen member, a TCP port
 * served by the whole group with each connection's protocol on one member for its whole life, a UNIX socket whose
 * one acceptor deals its connections to every member, and bad input.
 */
final class ReactorGroupContractTest {

    private static final int MEMBERS = 3;
    /** The setting that chooses how a group spreads a TCP port's connections. */
    private static final String GROUP_TCP = "weft.group.tcp";
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            .startsWith("linux");

    @TempDir
    Path dir;

    /** Records, for every member, the thread its startup runs on (one entry per member once it runs). */
    private static Map<Integer, Thread> memberThreads(ReactorGroup g) {
        Map<Integer, Thread> threads = new ConcurrentHashMap<>();
        g.addSystemEventTrigger(Phase.DURING, ReactorCore.STARTUP, member -> {
            threads.put(member, Thread.currentThread());
            return null;
        });
        return threads;
    }

    /**
     * A latch that opens when member {@code index} has run its {@code AFTER shutdown} triggers: its loop runs no
     * {@code callFromThread} call after that.
     */
    private static CountDownLatch afterShutdownOf(ReactorGroup g, int index) {
        CountDownLatch stopped = new CountDownLatch(1);
        g.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, member -> {
            if (member == index) {
                stopped.countDown();
            }
            return null;
        });
        return stopped;
    }

    @ContractTest
    void runRunsEveryMemberOnAThreadOfItsOwnUntilStop(ReactorHarness h) {
        ReactorGroup g = h.newGroup(MEMBERS);
        assertEquals(MEMBERS, g.size());
        assertEquals(MEMBERS, g.members().size());
        Map<Integer, Thread> threads = memberThreads(g);
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        assertTrue(g.isRunning());
        assertEquals(MEMBERS, new HashSet<>(threads.values()).size(), "one thread per member: " + threads);
        assertFalse(threads.containsValue(Thread.currentThread()));
        run.stopAndJoin();
        assertFalse(g.isRunning());
    }

    @ContractTest
    void stopRunsEveryMembersShutdownPhasesInOrderOnItsThreadBeforeRunReturns(ReactorHarness h) {
        ReactorGroup g = h.newGroup(MEMBERS);
        Map<Integer, Thread> threads = memberThreads(g);
        Map<Integer, List<String>> phases = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> wrongThread = new ConcurrentLinkedQueue<>();
        for (Phase phase : List.of(Phase.AFTER, Phase.BEFORE, Phase.DURING)) {
            g.addSystemEventTrigger(phase, ReactorCore.SHUTDOWN, member -> {
                phases.computeIfAbsent(member, k -> new CopyOnWriteArrayList<>()).add(phase.name());
                if (threads.get(member) != Thread.currentThread()) {
                    wrongThread.add(phase + " of member " + member + " ran on " + Thread.currentThread().getName());
                }
                return null;
            });
        }
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        g.stop();
        assertThrows(ReactorNotRunningException.class, g::stop, "a second stop() is refused");
        run.joinOrFail();
        // run() returned: every member's AFTER triggers ran already.
        for (int i = 0; i < MEMBERS; i++) {
            assertEquals(List.of("BEFORE", "DURING", "AFTER"), phases.get(i), "member " + i);
        }
        assertTrue(wrongThread.isEmpty(), wrongThread.toString());
        assertThrows(ReactorNotRestartableException.class, g::run, "a group runs once");
    }

    @ContractTest
    void aBeforeShutdownTriggersDeferredHoldsOnlyItsOwnMember(ReactorHarness h) {
        ReactorGroup g = h.newGroup(2);
        memberThreads(g);
        Deferred<Void> hold = new Deferred<>();
        CountDownLatch member1Done = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        g.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, member -> member == 0 ? hold : null);
        g.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, member -> {
            order.add("after " + member);
            if (member == 1) {
                member1Done.countDown();
            }
            return null;
        });
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        g.stop();
        // Member 1 shuts down while member 0 waits for its BEFORE trigger's Deferred.
        Await.latch(member1Done, "member 1 to finish its shutdown while member 0 waits");
        assertTrue(run.isAlive(), "run() waits for every member");
        g.callFromThread(0, () -> hold.callback(null));
        run.joinOrFail();
        assertEquals(List.of("after 1", "after 0"), order);
    }

    @ContractTest
    void aMembersFailingRunStopsTheOthersAndRunThrowsItOnceAllEnded(ReactorHarness h) {
        ReactorGroup g = h.newGroup(2);
        Reactor spent = g.member(1);
        spent.callWhenRunning(spent::stop);
        h.run(spent); // member 1 ran and stopped on its own: its next run() fails
        List<Integer> stopped = new CopyOnWriteArrayList<>();
        g.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, member -> {
            stopped.add(member);
            return null;
        });
        GroupThread run = h.startGroup(g);
        assertTrue(run.join(Await.TIMEOUT), "run() returns once member 0 was stopped too");
        assertTrue(run.failure() instanceof ReactorNotRestartableException, "run() throws the member's failure: "
                + run.failure());
        assertEquals(List.of(0), stopped, "member 0 was stopped and ran its shutdown");
    }

    @ContractTest
    void anInterruptOfTheThreadInRunStopsTheGroup(ReactorHarness h) {
        ReactorGroup g = h.newGroup(2);
        memberThreads(g);
        List<Integer> stopped = new CopyOnWriteArrayList<>();
        g.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, member -> {
            stopped.add(member);
            return null;
        });
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        run.interruptRun();
        run.joinOrFail();
        assertEquals(Set.of(0, 1), new HashSet<>(stopped));
    }

    @ContractTest
    void callFromThreadRunsOnTheChosenMember(ReactorHarness h) throws Exception {
        ReactorGroup g = h.newGroup(MEMBERS);
        Map<Integer, Thread> threads = memberThreads(g);
        List<CompletableFuture<Thread>> seen = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            CompletableFuture<Thread> f = new CompletableFuture<>();
            g.callFromThread(i, () -> f.complete(Thread.currentThread())); // before run: waits for it
            seen.add(f);
        }
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        for (int i = 0; i < MEMBERS; i++) {
            assertEquals(threads.get(i), Await.future(seen.get(i), "the call to member " + i), "member " + i);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.callFromThread(MEMBERS, () -> { }));
        assertTrue(e.getMessage().contains("member"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.callFromThread(-1, () -> { }));
        assertThrows(NullPointerException.class, () -> g.callFromThread(0, null));
        run.stopAndJoin();
    }

    @ContractTest
    void badInputIsRefusedNamingTheArgument(ReactorHarness h) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.newGroup(0));
        assertTrue(e.getMessage().startsWith("size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Reactors.createGroup(h.variant().backend(), -1));
        assertTrue(e.getMessage().startsWith("size"), e.getMessage());
        ReactorGroup g = h.newGroup(1);
        e = assertThrows(IllegalArgumentException.class, () -> g.member(1));
        assertTrue(e.getMessage().startsWith("index"), e.getMessage());
        assertThrows(ReactorNotRunningException.class, g::stop, "stop() before run()");
        e = assertThrows(IllegalArgumentException.class,
                () -> g.listenTCP(-1, new ThreadRecordingFactory()));
        assertTrue(e.getMessage().contains("port"), e.getMessage());
    }

    @ContractTest
    void listenTCPIsServedByEveryMemberEachProtocolOnOneMember(ReactorHarness h, BackendVariant v) throws Exception {
        Assumptions.assumeTrue(LINUX, "connections are spread over members where SO_REUSEPORT balances (Linux)");
        ReactorGroup g = h.newGroup(MEMBERS);
        Map<Integer, Thread> threads = memberThreads(g);
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        ListeningPort port = g.listenTCP(0, factory, 50, "127.0.0.1");
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        int connections = 48;
        for (int i = 0; i < connections; i++) {
            echoOnce(port.getHost().getPort(), "hello " + i);
        }
        Await.spinUntil(() -> factory.lost.get() == connections, Await.TIMEOUT);
        assertEquals(connections, factory.lost.get(), "every connection lost");
        Map<Thread, Integer> perThread = new HashMap<>();
        for (ThreadRecordingProtocol p : factory.protocols) {
            Set<Thread> seen = new HashSet<>(p.threads);
            assertEquals(1, seen.size(), "every callback of a protocol on one thread: " + p.threads);
            assertEquals("made", p.events.get(0), p.events.toString());
            assertEquals("lost", p.events.get(p.events.size() - 1), p.events.toString());
            assertTrue(p.events.contains("data"), p.events.toString());
            perThread.merge(seen.iterator().next(), 1, Integer::sum);
        }
        assertEquals(new HashSet<>(threads.values()), perThread.keySet(),
                "every member served some connections: " + perThread);
        assertEquals(1, factory.starts.get(), "startFactory once for the group");

        CompletableFuture<Thread> stopped = new CompletableFuture<>();
        g.callFromThread(2, () -> port.stopListening().addBoth((r, f) -> {
            stopped.complete(Thread.currentThread());
            return null;
        }));
        assertEquals(threads.get(2), Await.future(stopped, "stopListening's Deferred"),
                "fires on the thread of the member that called it");
        assertEquals(1, factory.stops.get(), "stopFactory once, with the last share");
        assertTrue(DeferredAssertions.successResultOf(port.stopListening()) == null, "a second call has fired");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port.getHost().getPort()).close());
        run.stopAndJoin();
    }

    @ContractTest
    void listenTCPWhileRunningBindsOnEveryMemberFromOutsideAndIsRefusedOnAMember(ReactorHarness h)
            throws Exception {
        ReactorGroup g = h.newGroup(2);
        Map<Integer, Thread> threads = memberThreads(g);
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        ListeningPort port = g.listenTCP(0, factory, 50, "127.0.0.1");
        echoOnce(port.getHost().getPort(), "while running");
        // From outside the running group: waits for every share, returns a fired Deferred.
        DeferredAssertions.successResultOf(port.stopListening());
        assertEquals(1, factory.stops.get(), "every share closed when stopListening returned");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port.getHost().getPort()).close());
        CompletableFuture<Throwable> fromMember = new CompletableFuture<>();
        g.callFromThread(1, () -> {
            try {
                g.listenTCP(0, factory, 50, "127.0.0.1");
                fromMember.complete(null);
            } catch (Throwable t) {
                fromMember.complete(t);
            }
        });
        Throwable refused = Await.future(fromMember, "listenTCP from a member");
        assertTrue(refused instanceof IllegalStateException, "refused on a member's thread: " + refused);
        assertNotEquals(null, threads.get(1));
        run.stopAndJoin();
    }

    @ContractTest
    void listenTCPInAcceptorModeDealsConnectionsToEveryMemberRoundRobinEachProtocolOnOneMember(ReactorHarness h)
            throws Exception {
        ReactorGroup g = h.newGroupWith(MEMBERS, GROUP_TCP, "acceptor");
        Map<Integer, Thread> threads = memberThreads(g);
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        ListeningPort port = g.listenTCP(0, factory, 50, "127.0.0.1");
        int tcpPort = port.getHost().getPort();
        assertNotEquals(0, tcpPort, "getHost() gives the port picked");
        assertEquals("127.0.0.1", port.getHost().getAddress().getHostAddress());
        assertEquals(1, factory.starts.get(), "startFactory once, when the port is bound");
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        int rounds = 2;
        int connections = rounds * MEMBERS;
        for (int i = 0; i < connections; i++) {
            echoOnce(tcpPort, "hello " + i);
        }
        factory.awaitLost(connections);
        // One connection per member stays open across stopListening.
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                open.add(connectTcp(tcpPort));
                echoOn(open.get(i), "open " + i);
            }
            assertEachMemberServedItsTurn(factory, threads, rounds + 1);
            assertStopListeningFiresOnTheCallingMember(g, port, threads, 2);
            assertEquals(1, factory.stops.get(), "stopFactory once, when the port is closed");
            assertThrows(ConnectException.class, () -> connectTcp(tcpPort).close(), "a stopped port refuses");
            for (int i = 0; i < MEMBERS; i++) {
                echoOn(open.get(i), "still open " + i); // accepted connections outlive the port
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        factory.awaitLost(connections + MEMBERS);
        for (ThreadRecordingProtocol p : factory.protocols) {
            assertEquals(1, new HashSet<>(p.threads).size(), "every callback of a protocol on one thread: "
                    + p.threads);
            assertEquals("lost", p.events.get(p.events.size() - 1), p.events.toString());
        }
        run.stopAndJoin();
    }

    @ContractTest
    void listenTCPInAcceptorModeWhileRunningSkipsAMemberThatStoppedOnItsOwn(ReactorHarness h) throws Exception {
        ReactorGroup g = h.newGroupWith(2, GROUP_TCP, "acceptor");
        Map<Integer, Thread> threads = memberThreads(g);
        CountDownLatch member1Stopped = new CountDownLatch(1);
        g.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, member -> {
            if (member == 1) {
                member1Stopped.countDown();
            }
            return null;
        });
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        ListeningPort port = g.listenTCP(0, factory, 50, "127.0.0.1"); // from outside the running group
        int tcpPort = port.getHost().getPort();
        echoOnce(tcpPort, "to member 0");
        echoOnce(tcpPort, "to member 1");
        factory.awaitLost(2);
        assertEquals(List.of(threads.get(0), threads.get(1)),
                factory.protocols.stream().map(p -> p.threads.get(0)).toList(), "dealt in turn");
        g.callFromThread(1, () -> g.member(1).stop());
        Await.latch(member1Stopped, "member 1 to stop on its own");
        for (int i = 0; i < 2; i++) {
            echoOnce(tcpPort, "to the member left " + i);
        }
        factory.awaitLost(4);
        for (ThreadRecordingProtocol p : factory.protocols.subList(2, 4)) {
            assertEquals(Set.of(threads.get(0)), new HashSet<>(p.threads), "served by member 0: " + p.events);
        }
        // From outside the running group: waits for the port to close, returns a fired Deferred.
        DeferredAssertions.successResultOf(port.stopListening());
        assertEquals(1, factory.stops.get(), "stopFactory ran when stopListening returned");
        assertThrows(ConnectException.class, () -> connectTcp(tcpPort).close(), "a stopped port refuses");
        run.stopAndJoin();
    }

    @ContractTest
    void stopListeningFiresOnceEveryShareStoppedOrItsMemberIsGone(ReactorHarness h) throws Exception {
        ReactorGroup g = h.newGroup(2);
        Map<Integer, Thread> threads = memberThreads(g);
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        ListeningPort port = g.listenTCP(0, factory, 50, "127.0.0.1");
        CountDownLatch member1Stopped = afterShutdownOf(g, 1);
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        // Member 1 stops on its own and its thread ends: a call handed to it now would never run.
        g.callFromThread(1, () -> g.member(1).stop());
        Await.latch(member1Stopped, "member 1 to stop on its own");
        assertTrue(g.isRunning(), "the group runs on with member 0");

        CompletableFuture<Thread> stopped = new CompletableFuture<>();
        g.callFromThread(0, () -> port.stopListening().addBoth((r, f) -> {
            stopped.complete(Thread.currentThread());
            return null;
        }));
        assertEquals(threads.get(0), Await.future(stopped, "stopListening's Deferred, with member 1 gone"),
                "fires on the thread of the member that called it");
        assertEquals(1, factory.stops.get(), "stopFactory once, with the last share");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port.getHost().getPort()).close());
        run.stopAndJoin();
    }

    @ContractTest
    void aBadGroupTcpSettingIsRefusedNamingIt(ReactorHarness h) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.newGroupWith(2, GROUP_TCP, "sideways"));
        assertTrue(e.getMessage().contains(GROUP_TCP) && e.getMessage().contains("sideways")
                && e.getMessage().contains("acceptor"), e.getMessage());
    }

    @ContractTest
    void aShutdownTriggerMayWaitForStopListeningWhenAMemberIsGone(ReactorHarness h) throws Exception {
        ReactorGroup g = h.newGroup(2);
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        ListeningPort port = g.listenTCP(0, factory, 50, "127.0.0.1");
        CountDownLatch member1Stopped = afterShutdownOf(g, 1);
        // Member 0's shutdown waits for the port to stop; member 1 will have stopped on its own by then.
        g.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, member -> member == 0 ? port.stopListening()
                : null);
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        g.callFromThread(1, () -> g.member(1).stop());
        Await.latch(member1Stopped, "member 1 to stop on its own");
        run.stopAndJoin();
        assertEquals(1, factory.stops.get(), "the port stopped in member 0's shutdown trigger");
    }

    @ContractTest
    void listenUNIXDealsConnectionsToEveryMemberRoundRobinEachProtocolOnOneMember(ReactorHarness h)
            throws Exception {
        ReactorGroup g = h.newGroup(MEMBERS);
        Map<Integer, Thread> threads = memberThreads(g);
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        String path = dir.resolve("group.sock").toString();
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        // While the group runs (io_uring binds a UNIX socket on its loop, so a Netty io_uring reactor that is not
        // running cannot listenUNIX, in a group or alone).
        ListeningPort port = g.listenUNIX(path, factory, 50, 0600, false);
        assertEquals(path, port.getHost().getHostString(), "getHost() carries the path");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path))),
                "the socket file has the mode asked for");
        assertEquals(1, factory.starts.get(), "startFactory once, when the socket is bound");
        int rounds = 3;
        int connections = rounds * MEMBERS;
        for (int i = 0; i < connections; i++) {
            try (SocketChannel c = connectUnix(path)) {
                echoOn(c, "hello " + i);
            }
        }
        factory.awaitLost(connections);
        // One connection per member stays open across stopListening.
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                open.add(connectUnix(path));
                echoOn(open.get(i), "open " + i);
            }
            assertEachMemberServedItsTurn(factory, threads, rounds + 1);
            assertStopListeningFiresOnTheCallingMember(g, port, threads, 2);
            assertEquals(1, factory.stops.get(), "stopFactory once, when the socket is closed");
            assertFalse(Files.exists(Path.of(path)), "stopListening removes the socket file");
            assertThrows(IOException.class, () -> connectUnix(path).close(), "no new connections");
            for (int i = 0; i < MEMBERS; i++) {
                echoOn(open.get(i), "still open " + i); // accepted connections outlive the port
            }
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
        }
        factory.awaitLost(connections + MEMBERS);
        for (ThreadRecordingProtocol p : factory.protocols) {
            assertEquals(1, new HashSet<>(p.threads).size(), "every callback of a protocol on one thread: "
                    + p.threads);
            assertEquals("lost", p.events.get(p.events.size() - 1), p.events.toString());
        }
        run.stopAndJoin();
    }

    @ContractTest
    void listenUNIXWhileRunningFromOutsideTheSocketFileRulesAndBadInput(ReactorHarness h) throws Exception {
        ReactorGroup g = h.newGroup(2);
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        String path = dir.resolve("running.sock").toString();
        NullPointerException npe = assertThrows(NullPointerException.class, () -> g.listenUNIX(null, factory));
        assertTrue(npe.getMessage().contains("path"), npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> g.listenUNIX(path, null));
        assertTrue(npe.getMessage().contains("factory"), npe.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.listenUNIX("", factory));
        assertTrue(e.getMessage().contains("path"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.listenUNIX(path, factory, 0, 0666, false));
        assertTrue(e.getMessage().contains("backlog"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.listenUNIX(path, factory, 50, 01000, false));
        assertTrue(e.getMessage().contains("mode"), e.getMessage());
        String missing = dir.resolve("missing").resolve("x.sock").toString();
        CannotListenException cannot = assertThrows(CannotListenException.class,
                () -> g.listenUNIX(missing, factory));
        assertTrue(cannot.getMessage().contains("does not exist"), cannot.getMessage());
        Path plain = Files.writeString(dir.resolve("plain.sock"), "not a socket");
        cannot = assertThrows(CannotListenException.class, () -> g.listenUNIX(plain.toString(), factory));
        assertTrue(cannot.getMessage().contains("not a socket"), cannot.getMessage());
        assertEquals("not a socket", Files.readString(plain), "a path that is not a socket is left alone");
        assertEquals(0, factory.starts.get(), "nothing was started");

        Map<Integer, Thread> threads = memberThreads(g);
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        ListeningPort port = g.listenUNIX(path, factory);
        for (int i = 0; i < 2; i++) {
            try (SocketChannel c = connectUnix(path)) {
                echoOn(c, "while running " + i);
            }
        }
        factory.awaitLost(2);
        assertEquals(2, factory.protocols.stream().map(p -> p.threads.get(0)).distinct().count(),
                "both members served a connection");
        // From outside the running group: waits for the socket to close, returns a fired Deferred.
        DeferredAssertions.successResultOf(port.stopListening());
        assertEquals(1, factory.stops.get(), "stopFactory ran when stopListening returned");
        assertFalse(Files.exists(Path.of(path)), "the socket file is removed");
        CompletableFuture<Throwable> fromMember = new CompletableFuture<>();
        g.callFromThread(1, () -> {
            try {
                g.listenUNIX(path, factory);
                fromMember.complete(null);
            } catch (Throwable t) {
                fromMember.complete(t);
            }
        });
        Throwable refused = Await.future(fromMember, "listenUNIX from a member");
        assertTrue(refused instanceof IllegalStateException, "refused on a member's thread: " + refused);
        assertNotEquals(null, threads.get(1));
        run.stopAndJoin();
    }

    @ContractTest
    void listenUNIXSkipsAMemberThatStoppedOnItsOwn(ReactorHarness h) throws Exception {
        ReactorGroup g = h.newGroup(2);
        Map<Integer, Thread> threads = memberThreads(g);
        CountDownLatch member1Stopped = new CountDownLatch(1);
        g.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, member -> {
            if (member == 1) {
                member1Stopped.countDown();
            }
            return null;
        });
        ThreadRecordingFactory factory = new ThreadRecordingFactory();
        String path = dir.resolve("skip.sock").toString();
        GroupThread run = h.startGroup(g);
        run.awaitRunning();
        g.listenUNIX(path, factory);
        g.callFromThread(1, () -> g.member(1).stop());
        Await.latch(member1Stopped, "member 1 to stop on its own");
        int connections = 3;
        for (int i = 0; i < connections; i++) {
            try (SocketChannel c = connectUnix(path)) {
                echoOn(c, "to the member left " + i);
            }
        }
        factory.awaitLost(connections);
        for (ThreadRecordingProtocol p : factory.protocols) {
            assertEquals(Set.of(threads.get(0)), new HashSet<>(p.threads), "served by member 0: " + p.events);
        }
        run.stopAndJoin();
    }

    /** Opens a blocking client connection to {@code 127.0.0.1:port}, its connect and reads bounded in time. */
    private static Socket connectTcp(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) Await.TIMEOUT.toMillis());
            s.setSoTimeout((int) Await.TIMEOUT.toMillis());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Sends one line on {@code s} and reads its echo (the socket's read timeout bounds the wait). */
    private static void echoOn(Socket s, String line) throws IOException {
        byte[] out = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        OutputStream o = s.getOutputStream();
        o.write(out);
        o.flush();
        byte[] back = s.getInputStream().readNBytes(out.length);
        assertEquals(line + "\n", new String(back, StandardCharsets.US_ASCII));
    }

    /** Opens a blocking client connection to the UNIX socket {@code path}. */
    private static SocketChannel connectUnix(String path) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Sends one line on {@code c} and reads its echo, on a thread of its own, waited for at most
     * {@link Await#TIMEOUT} (then {@code c} is closed, which ends that thread's blocking read).
     */
    private static void echoOn(SocketChannel c, String line) throws Exception {
        byte[] out = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<String> back = new CompletableFuture<>();
        Thread client = new Thread(() -> {
            try {
                ByteBuffer o = ByteBuffer.wrap(out);
                while (o.hasRemaining()) {
                    c.write(o);
                }
                ByteBuffer in = ByteBuffer.allocate(out.length);
                while (in.hasRemaining() && c.read(in) >= 0) {
                    // a blocking read: each returns at least one byte, or the end of the stream
                }
                back.complete(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                back.completeExceptionally(e);
            }
        }, "unix-echo-client");
        client.setDaemon(true);
        client.start();
        try {
            assertEquals(line + "\n", Await.future(back, "the echo of " + line));
        } finally {
            if (!back.isDone()) {
                c.close();
            }
        }
    }

    /** Connects, sends one line, reads the echo, closes: a blocking client on the test thread, bounded. */
    private static void echoOnce(int port, String line) throws IOException {
        try (Socket s = connectTcp(port)) {
            echoOn(s, line);
        }
    }

    /** Echoes, recording the thread of every callback. */
    private static final class ThreadRecordingProtocol extends Protocol {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        private final ThreadRecordingFactory owner;

        ThreadRecordingProtocol(ThreadRecordingFactory owner) {
            this.owner = owner;
        }

        @Override
        public void connectionMade() {
            threads.add(Thread.currentThread());
            events.add("made");
        }

        @Override
        public void dataReceived(byte[] data) {
            threads.add(Thread.currentThread());
            events.add("data");
            transport().write(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            threads.add(Thread.currentThread());
            events.add("lost");
            owner.lost.incrementAndGet();
            owner.lostSignal.release();
        }
    }

    /** Builds recording protocols; counts startFactory and stopFactory. Called by the group one call at a time. */
    private static final class ThreadRecordingFactory extends Factory {
        final List<ThreadRecordingProtocol> protocols = new CopyOnWriteArrayList<>();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        /** A permit per connection lost. */
        final Semaphore lostSignal = new Semaphore(0);
        /** The permits {@link #awaitLost(int)} took; the test thread only. */
        private int awaited;

        /** Waits, at most {@link Await#TIMEOUT}, until {@code total} connections were lost in all. Test thread. */
        void awaitLost(int total) throws InterruptedException {
            assertTrue(lostSignal.tryAcquire(total - awaited, Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "timed out waiting for " + total + " connections to be lost; lost: " + lost.get());
            awaited = total;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            ThreadRecordingProtocol p = new ThreadRecordingProtocol(this);
            p.setFactory(this);
            protocols.add(p);
            return p;
        }

        @Override
        protected void startFactory() {
            starts.incrementAndGet();
        }

        @Override
        protected void stopFactory() {
            stops.incrementAndGet();
        }
    }

    /** Every protocol lived on one member, and each member served {@code turns} of the connections. */
    private static void assertEachMemberServedItsTurn(ThreadRecordingFactory factory, Map<Integer, Thread> threads,
            int turns) {
        Map<Thread, Integer> perThread = new HashMap<>();
        for (ThreadRecordingProtocol p : factory.protocols) {
            Set<Thread> seen = new HashSet<>(p.threads);
            assertEquals(1, seen.size(), "every callback of a protocol on one thread: " + p.threads);
            assertEquals("made", p.events.get(0), p.events.toString());
            assertTrue(p.events.contains("data"), p.events.toString());
            perThread.merge(seen.iterator().next(), 1, Integer::sum);
        }
        Map<Thread, Integer> roundRobin = new HashMap<>();
        for (Thread t : threads.values()) {
            roundRobin.put(t, turns);
        }
        assertEquals(roundRobin, perThread, "each member served its turn of the connections");
    }

    /** {@code stopListening()} called on member {@code member} fires its Deferred on that member's thread. */
    private static void assertStopListeningFiresOnTheCallingMember(ReactorGroup g, ListeningPort port,
            Map<Integer, Thread> threads, int member) throws Exception {
        CompletableFuture<Thread> stopped = new CompletableFuture<>();
        g.callFromThread(member, () -> port.stopListening().addBoth((r, f) -> {
            stopped.complete(Thread.currentThread());
            return null;
        }));
        assertEquals(threads.get(member), Await.future(stopped, "stopListening's Deferred"),
                "fires on the thread of the member that called it");
    }
}
