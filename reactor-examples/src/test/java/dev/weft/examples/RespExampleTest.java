package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.Reactors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class RespExampleTest {

    private static String runCapturing(int expectedStatus, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedStatus, Main.run(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Sends one RESP command on a new blocking connection and reads one line of reply. */
    private static String command(int port, String inline) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String first = in.readLine();
            return first.startsWith("$") && !first.equals("$-1") ? in.readLine() : first;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void aGroupOfTwoServesOneStoreFromEveryMember(String backend) throws Exception {
        ReactorGroup group = Reactors.createGroup(backend, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ListeningPort port = RespExample.startGroup(group, "127.0.0.1", 0, out);
        int p = port.getHost().getPort();
        assertEquals("resp: listening on 127.0.0.1:" + p + ", backend " + NetTesting.backendName(backend)
                + ", 2 reactors" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
        Thread runner = new Thread(group::run, "resp-group");
        runner.start();
        try {
            // Each key is written on one connection and read on others: the connections land on both members.
            for (int i = 0; i < 20; i++) {
                assertEquals("+OK", command(p, "SET k" + i + " v" + i));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("v" + i, command(p, "GET k" + i));
            }
        } finally {
            group.stop();
            runner.join(10_000);
        }
        assertTrue(!runner.isAlive(), "the group stopped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void startPrintsTheBoundPortAndBackendAndShutdownPrintsStopped(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ListeningPort port = RespExample.start(reactor, "127.0.0.1", 0, out);
        int p = port.getHost().getPort();
        assertEquals("resp: listening on 127.0.0.1:" + p + ", backend " + NetTesting.backendName(backend) + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));

        Deferred<String> pong = new Deferred<>();
        reactor.connectTCP("127.0.0.1", p, ClientFactory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                transport.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void dataReceived(byte[] data) {
                pong.callback(new String(data, StandardCharsets.US_ASCII));
                transport.loseConnection();
            }
        }));
        assertEquals("+PONG\r\n", reactor.runUntil(pong.addTimeout(10, reactor)));

        reactor.callLater(0, () -> {
            try {
                reactor.stop();
            } catch (ReactorNotRunningException e) {
                // stopping already
            }
        });
        reactor.run();
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("resp: stopped" + System.lineSeparator()),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() {
        String help = runCapturing(0, "resp", "--help");
        assertTrue(help.startsWith("usage: resp [--port N] [--host ADDRESS] [--backend untwisted|netty]"), help);
        for (String c : new String[] {"PING", "ECHO", "SET", "GET", "DEL", "EXISTS", "INCR", "MGET", "MSET",
                "COMMAND", "CONFIG GET", "QUIT", "SELECT", "FLUSHALL", "FLUSHDB", "DBSIZE"}) {
            assertTrue(help.contains("\n  " + c + " ") || help.contains("\n  " + c + System.lineSeparator()),
                    c + " missing from " + help);
        }
    }

    @Test
    void mainListsTheExample() {
        assertTrue(runCapturing(0, "--help").contains("resp"));
    }

    @Test
    void aBusyPortIsReportedWithoutAStackTrace() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            String err = RefusedRun.stderrOf(1, "resp", "--port", Integer.toString(taken.getLocalPort()));
            assertTrue(err.contains("cannot listen on") && err.contains(":" + taken.getLocalPort()), err);
        }
    }

    @Test
    void badOptionsAreRefused() {
        String port = RefusedRun.stderrOf(2, "resp", "--port", "x");
        assertTrue(port.contains("--port must be a number") && port.contains("'x'"), port);
        String option = RefusedRun.stderrOf(2, "resp", "--bogus");
        assertTrue(option.contains("unknown option '--bogus'") && option.contains("usage: resp"), option);
        String backend = RefusedRun.stderrOf(2, "resp", "--backend", "nope");
        assertTrue(backend.contains("unknown reactor backend 'nope'") && backend.contains("untwisted"), backend);
    }
}
