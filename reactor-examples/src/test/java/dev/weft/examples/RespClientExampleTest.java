package dev.weft.examples;

import static dev.weft.examples.NetTesting.LOOPBACK;
import static dev.weft.examples.NetTesting.await;
import static dev.weft.examples.NetTesting.shutDown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredTimeoutException;
import dev.weft.examples.resp.RespServer;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The concurrent RESP client: many coroutines, pipelined commands and checked replies against the {@code resp}
 * example and a real {@code redis-server}; a clear failure when the server is unreachable or a reply is late.
 */
@Timeout(60)
class RespClientExampleTest {

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void manyClientsRunPipelinedCommandsAgainstTheRespExample(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            int port = RespServer.listen(reactor, LOOPBACK, 0).getHost().getPort();
            // an odd count and a pipeline that does not divide it: the last batch is short, a SET ends it
            RespClientExample.Load load = new RespClientExample.Load(20, 101, 7, 5.0);
            RespClientExample.Summary s = await(reactor, RespClientExample.clients(reactor, LOOPBACK, port, load));
            assertEquals(20 * 101, s.replies());
            assertTrue(s.toString().startsWith("20 clients x 101 requests (pipelines of 7): 2020 replies, all as"
                    + " expected"), s.toString());
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void theCommandRunsAgainstTheRespExampleOnAnotherReactor(String backend) throws Exception {
        Reactor server = Reactors.create("untwisted");
        int port = RespServer.listen(server, LOOPBACK, 0).getHost().getPort();
        Thread loop = new Thread(server::run, "resp-server");
        loop.start();
        try {
            NetTesting.Run run = NetTesting.runMain("resp-client", "--port", Integer.toString(port), "--clients", "4",
                    "--requests", "50", "--pipeline", "8", "--backend", backend);
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().startsWith("resp-client: 4 clients to 127.0.0.1:" + port + ", backend "
                    + NetTesting.backendName(backend)), run.out());
            assertTrue(run.out().contains("resp-client: 4 clients x 50 requests (pipelines of 8): 200 replies, all as"
                    + " expected, in "), run.out());
            assertTrue(run.out().endsWith("resp-client: stopped" + System.lineSeparator()), run.out());
        } finally {
            server.callFromThread(() -> NetSupport.stopQuietly(server));
            loop.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertTrue(!loop.isAlive(), "the server's reactor stopped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void anUnreachableServerFailsEveryClientClearly(String backend) throws Exception {
        int closed = NetTesting.closedPort();
        Reactor reactor = Reactors.create(backend);
        try {
            Deferred<RespClientExample.Summary> d = RespClientExample.clients(reactor, LOOPBACK, closed,
                    new RespClientExample.Load(3, 10, 4, 5.0));
            IOException e = assertThrows(IOException.class, () -> await(reactor, d));
            assertTrue(e.getMessage().startsWith("3 of 3 clients failed; the first: client 1: cannot connect to"
                    + " 127.0.0.1:" + closed + ": "), e.getMessage());
            assertInstanceOf(ConnectFailedException.class, e.getCause().getCause());
        } finally {
            shutDown(reactor);
        }
        NetTesting.Run run = NetTesting.runMain("resp-client", "--port", Integer.toString(closed), "--clients", "2",
                "--backend", backend);
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().startsWith("resp-client: 2 of 2 clients failed; the first: client 1: cannot connect to"
                + " 127.0.0.1:" + closed), run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void aReplyThatDoesNotComeInTimeFailsThatClientNamingTheRequest(String backend) throws Exception {
        Reactor reactor = Reactors.create(backend);
        try {
            // a server that accepts and reads, and never answers
            int port = reactor.listenTCP(0, Factory.forProtocol(() -> new Protocol() {
                @Override
                public void dataReceived(byte[] data) {
                    // silence
                }
            }), 50, LOOPBACK).getHost().getPort();
            Deferred<RespClientExample.Summary> d = RespClientExample.clients(reactor, LOOPBACK, port,
                    new RespClientExample.Load(2, 10, 4, 0.3));
            IOException e = assertThrows(IOException.class, () -> await(reactor, d));
            assertTrue(e.getMessage().startsWith("2 of 2 clients failed; the first: client "), e.getMessage());
            assertTrue(e.getMessage().contains(": no reply to request 1 (SET weft-resp-client:")
                    && e.getMessage().endsWith(") within 0.3 s"), e.getMessage());
            assertInstanceOf(DeferredTimeoutException.class, e.getCause().getCause());
        } finally {
            shutDown(reactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"untwisted", "netty"})
    void runsAgainstARealRedisServer(String backend, @TempDir Path dir) throws Exception {
        String redis = onPath("redis-server");
        assumeTrue(redis != null, "redis-server is not installed (apt-get install redis-server)");
        int port = NetTesting.closedPort();
        Process p = new ProcessBuilder(redis, "--port", Integer.toString(port), "--bind", LOOPBACK, "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            awaitPong(port, p, dir.resolve("redis.log"));
            Reactor reactor = Reactors.create(backend);
            try {
                RespClientExample.Summary s = await(reactor, RespClientExample.clients(reactor, LOOPBACK, port,
                        new RespClientExample.Load(10, 200, 16, 5.0)));
                assertEquals(2000, s.replies());
            } finally {
                shutDown(reactor);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        NetTesting.Run zero = NetTesting.runMain("resp-client", "--clients", "0");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--clients must be from 1 to 10000, got 0"), zero.err());
        NetTesting.Run timeout = NetTesting.runMain("resp-client", "--timeout", "soon");
        assertEquals(2, timeout.code());
        assertTrue(timeout.err().contains("--timeout must be a number of seconds, got 'soon'"), timeout.err());
        NetTesting.Run negative = NetTesting.runMain("resp-client", "--timeout", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("--timeout must be a positive number of seconds, got -1.0"),
                negative.err());
        NetTesting.Run listen = NetTesting.runMain("resp-client", "--listen", "tcp:0");
        assertEquals(2, listen.code());
        assertTrue(listen.err().contains("--listen is for servers"), listen.err());
    }

    @Test
    void helpReturnsZeroAndDescribesTheRun() {
        NetTesting.Run run = NetTesting.runMain("resp-client", "--help");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("usage: resp-client [--host H] [--port N] [--clients N]"), run.out());
        assertTrue(run.out().replaceAll("\\s+", " ").contains("in pipelines of --pipeline"), run.out());
    }

    @Test
    void commandsAreEncodedAsRespArrays() {
        assertEquals("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
                new String(RespClientExample.encode(List.of("GET", "k")), StandardCharsets.UTF_8));
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\u00e9\r\n",
                new String(RespClientExample.encode(List.of("SET", "k", "\u00e9")), StandardCharsets.UTF_8),
                "a bulk string's length counts bytes, not characters");
        assertEquals(List.of("GET", "weft-resp-client:r:3:2"), RespClientExample.command("r", 3, 5));
    }

    private static void awaitPong(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
                s.setSoTimeout(2_000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                byte[] got = in.readNBytes(7);
                if (new String(got, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet: try again; each try is bounded by its own timeouts
                p.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IOException("redis-server did not answer PING within 10 s: " + Files.readString(log));
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path f = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(f)) {
                return f.toString();
            }
        }
        return null;
    }
}
