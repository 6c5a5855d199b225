package dev.weft.examples;

import static dev.weft.examples.NetTesting.LOOPBACK;
import static dev.weft.examples.NetTesting.await;
import static dev.weft.examples.NetTesting.shutDown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredList;
import dev.weft.defer.DeferredQueue;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.Connector;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.Reactors;
import dev.weft.reactor.SystemEventTrigger;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class ChatExampleTest {

    /** The example under test, as named on the command line (a subclass tests another chat server the same way). */
    String name() {
        return ChatExample.NAME;
    }

    ListeningPort listen(Reactor reactor, String host, int port) {
        return ChatExample.listen(reactor, host, port);
    }

    ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        return ChatExample.start(reactor, host, port, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void usersJoinChatListAndQuit(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            int port = listen(reactor, LOOPBACK, 0).getHost().getPort();
            Chatter alice = join(reactor, port, "");
            assertEquals("! the name must not be empty", next(reactor, alice));
            assertEquals("name?", next(reactor, alice));
            alice.send("alice");
            assertEquals("* welcome, alice (1 online; /who lists users, /quit leaves)", next(reactor, alice));

            Chatter bob = join(reactor, port, "alice");
            assertEquals("! the name 'alice' is taken", next(reactor, bob));
            assertEquals("name?", next(reactor, bob));
            bob.send("bob");
            assertTrue(next(reactor, bob).startsWith("* welcome, bob (2 online"));
            assertEquals("* bob joined", next(reactor, alice));

            // carol types like nc: lines end in LF alone
            Chatter carol = connect(reactor, port);
            assertEquals("name?", next(reactor, carol));
            carol.transport().write("carol\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(next(reactor, carol).startsWith("* welcome, carol (3 online"));
            assertEquals("* carol joined", next(reactor, alice));
            assertEquals("* carol joined", next(reactor, bob));

            alice.transport().write("hello\r\nhow are you?\r\n".getBytes(StandardCharsets.UTF_8));
            for (Chatter other : List.of(bob, carol)) {
                assertEquals("<alice> hello", next(reactor, other));
                assertEquals("<alice> how are you?", next(reactor, other));
            }
            carol.transport().write("fine, thanks\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("<carol> fine, thanks", next(reactor, alice));
            assertEquals("<carol> fine, thanks", next(reactor, bob));

            bob.send("/who");
            assertEquals("* 3 users: alice, bob, carol", next(reactor, bob));
            alice.send("/who"); // alice's next line is the answer: her own messages did not come back to her
            assertEquals("* 3 users: alice, bob, carol", next(reactor, alice));

            carol.send("/quit");
            assertEquals("* bye", next(reactor, carol));
            assertInstanceOf(ConnectionDone.class, await(reactor, carol.lost));
            assertEquals("* carol left", next(reactor, alice));
            assertEquals("* carol left", next(reactor, bob));
            bob.send("/who");
            assertEquals("* 2 users: alice, bob", next(reactor, bob));
            bob.send("/dance");
            assertEquals("! unknown command /dance (/who lists users, /quit leaves)", next(reactor, bob));
            assertEquals(0, alice.lines.size());
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void anOverlongLineGetsAnErrorAndTheClientIsDisconnected(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            int port = listen(reactor, LOOPBACK, 0).getHost().getPort();
            Chatter alice = join(reactor, port, "alice");
            next(reactor, alice);
            Chatter bob = join(reactor, port, "bob");
            next(reactor, bob);
            assertEquals("* bob joined", next(reactor, alice));

            String longest = "y".repeat(ChatExample.MAX_LINE);
            alice.send(longest);
            assertEquals("<alice> " + longest, next(reactor, bob), "a line of exactly the limit goes through");

            bob.send("x".repeat(ChatExample.MAX_LINE + 1));
            assertEquals(ChatExample.TOO_LONG, next(reactor, bob));
            assertTrue(ChatExample.TOO_LONG.startsWith("! line too long"));
            assertInstanceOf(ConnectionDone.class, await(reactor, bob.lost));
            assertEquals("* bob left", next(reactor, alice));

            Chatter carol = join(reactor, port, "carol");
            next(reactor, carol);
            carol.transport().write(("z".repeat(5000) + "\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(ChatExample.TOO_LONG, next(reactor, carol), "a line far over the limit, no CR");
            await(reactor, carol.lost);
            assertEquals("* carol joined", next(reactor, alice));
            assertEquals("* carol left", next(reactor, alice));
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void shutdownTellsConnectedUsersAndPrintsStopped(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        NetTesting.Output out = new NetTesting.Output();
        int port;
        Chatter alice;
        Chatter bob;
        try {
            port = start(reactor, LOOPBACK, 0, out.stream).getHost().getPort();
            assertEquals(name() + ": listening on 127.0.0.1:" + port + ", backend " + NetTesting.backendName(backend) + System.lineSeparator(),
                    out.text());
            alice = join(reactor, port, "alice");
            next(reactor, alice);
            bob = connect(reactor, port);
            assertEquals("name?", next(reactor, bob), "bob has not picked a name yet");
            // the clients live on the same reactor: hold its shutdown until they have read everything
            List<Deferred<?>> ends = new ArrayList<>();
            for (Chatter c : List.of(alice, bob)) {
                ends.add(c.lost);
            }
            reactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, (SystemEventTrigger)
                    () -> DeferredList.gatherResults(ends).addTimeout(NetTesting.WAIT_SECONDS, reactor));
        } finally {
            shutDown(reactor);
        }
        for (Chatter c : List.of(alice, bob)) {
            assertEquals(1, c.lines.size());
            assertEquals(ChatExample.GOING_DOWN, c.lines.get().toCompletableFuture().getNow(null));
            assertInstanceOf(ConnectionDone.class, c.lost.toCompletableFuture().getNow(null));
        }
        assertTrue(out.text().endsWith(name() + ": stopped" + System.lineSeparator()), out.text());
    }

    @Test
    void helpReturnsZeroAndPrintsUsage() {
        NetTesting.Run run = NetTesting.runMain(name(), "--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("usage: " + name() + " [--port N]"), run.out());
        assertTrue(run.out().replaceAll("\\s+", " ").contains("'! line too long' and the connection is closed"),
                run.out());
    }

    @Test
    void unknownOptionReturnsTwoAndNamesIt() {
        NetTesting.Run run = NetTesting.runMain(name(), "--room", "lobby");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown option '--room'"), run.err());
    }

    private static String next(Reactor reactor, Chatter c) throws Exception {
        return await(reactor, c.lines.get());
    }

    /** Connects, waits for {@code name?}, and sends {@code name}. */
    private static Chatter join(Reactor reactor, int port, String name) throws Exception {
        Chatter c = connect(reactor, port);
        assertEquals("name?", next(reactor, c));
        c.send(name);
        return c;
    }

    private static Chatter connect(Reactor reactor, int port) {
        Chatter c = new Chatter();
        reactor.connectTCP(LOOPBACK, port, new ClientFactory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
                c.setFactory(this);
                return c;
            }

            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                c.lines.put("connection failed: " + reason);
                c.lost.errback(reason);
            }
        });
        return c;
    }

    /** A chat user written with Weft: queues the lines it receives. */
    private static final class Chatter extends LineReceiver {
        final DeferredQueue<String> lines = new DeferredQueue<>();
        final Deferred<Throwable> lost = new Deferred<>();

        Chatter() {
            setMaxLength(4 * ChatExample.MAX_LINE);
        }

        @Override
        protected void lineReceived(byte[] line) {
            lines.put(new String(line, StandardCharsets.UTF_8));
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.callback(reason);
        }

        void send(String line) {
            sendLine(line);
        }
    }
}
