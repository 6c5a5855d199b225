package dev.weft.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The raw servers answer a pipelined script the same way, byte for byte (and as the Weft example does: the expected
 * replies are the example's), and the echo servers carry an {@link EchoLoad}.
 */
class RawServersTest {

    private static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    static final String SCRIPT = cmd("PING") + "PING\r\n" + cmd("PING", "hi") + cmd("SET", "k", "v")
            + cmd("GET", "k") + cmd("GET", "nokey") + cmd("SET", "k", "v2", "GET") + cmd("SET", "k", "x", "NX")
            + cmd("INCR", "n") + cmd("INCR", "n") + cmd("INCR", "k") + cmd("MSET", "a", "1", "b", "2")
            + cmd("MGET", "a", "b", "c") + cmd("EXISTS", "a", "a", "z") + cmd("DEL", "a", "z")
            + cmd("ECHO", "e") + cmd("CONFIG", "GET", "save") + cmd("COMMAND") + cmd("get")
            + cmd("NOPE", "x") + cmd("QUIT") + cmd("PING");

    static final String REPLIES = "+PONG\r\n+PONG\r\n$2\r\nhi\r\n+OK\r\n$1\r\nv\r\n$-1\r\n$1\r\nv\r\n$-1\r\n"
            + ":1\r\n:2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n"
            + ":2\r\n:1\r\n$1\r\ne\r\n*2\r\n$4\r\nsave\r\n$0\r\n\r\n*0\r\n"
            + "-ERR wrong number of arguments for 'get' command\r\n"
            + "-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n+OK\r\n";

    /** Sends {@code request}, returns everything read until the server closes (or 5 s pass). */
    static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                got.write("<timeout>".getBytes(StandardCharsets.US_ASCII), 0, 9);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A raw java.nio server on a thread of its own, stopped by interrupting it. */
    static final class NioRunning implements AutoCloseable {
        final NioServer server;
        final Thread thread;

        NioRunning(NioServer server) {
            this.server = server;
            this.thread = new Thread(() -> {
                try {
                    server.run();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, "raw-nio-test");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<String> transports() {
        List<String> t = new ArrayList<>(List.of("nio"));
        if (LoadHarness.epollAvailable()) {
            t.add("epoll");
        }
        return t;
    }

    @Test
    void rawNioRespServerAnswersTheScript() throws Exception {
        try (NioRunning r = new NioRunning(new RawNioRespServer(0))) {
            assertEquals(REPLIES, exchange(r.server.port(), SCRIPT));
            assertEquals("+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n",
                    exchange(r.server.port(), cmd("PING") + "*1\r\nxx\r\n" + cmd("PING")));
        }
    }

    @Test
    void rawNettyRespServerAnswersTheScript() throws Exception {
        for (String t : transports()) {
            RawStore store = new RawStore();
            try (NettyServers.Running r = NettyServers.start(0, t, RespFrameDecoder::new,
                    () -> new RawNettyRespServer.Handler(store))) {
                assertEquals(REPLIES, exchange(r.port(), SCRIPT), t);
                assertEquals("+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n",
                        exchange(r.port(), cmd("PING") + "*1\r\nxx\r\n" + cmd("PING")), t);
            }
        }
    }

    @Test
    void aLongPipelineIsAnsweredInFull() throws Exception {
        StringBuilder req = new StringBuilder();
        StringBuilder want = new StringBuilder();
        String value = "v".repeat(1000);
        for (int i = 0; i < 2000; i++) {
            req.append(cmd("SET", "key" + i, value)).append(cmd("GET", "key" + i));
            want.append("+OK\r\n$1000\r\n").append(value).append("\r\n");
        }
        req.append(cmd("QUIT"));
        want.append("+OK\r\n");
        try (NioRunning r = new NioRunning(new RawNioRespServer(0))) {
            assertEquals(want.toString(), exchange(r.server.port(), req.toString()));
        }
        RawStore store = new RawStore();
        try (NettyServers.Running r = NettyServers.start(0, "nio", RespFrameDecoder::new,
                () -> new RawNettyRespServer.Handler(store))) {
            assertEquals(want.toString(), exchange(r.port(), req.toString()));
        }
    }

    private static void echoLoad(int port) throws IOException {
        EchoLoad.Result res = new EchoLoad(new InetSocketAddress("127.0.0.1", port), 4, 64, 100, 2_000, 0).run();
        assertEquals(2_000, res.messages());
        assertEquals(2_000, res.latency().count());
        assertTrue(res.rate() > 0);
        assertTrue(res.latency().quantile(0.99) >= res.latency().quantile(0.5));
    }

    @Test
    void echoServersCarryTheEchoLoad() throws Exception {
        try (NioRunning r = new NioRunning(new RawNioEchoServer(0))) {
            echoLoad(r.server.port());
        }
        for (String t : transports()) {
            try (NettyServers.Running r = NettyServers.start(0, t, RawNettyEchoServer.Echo::new)) {
                echoLoad(r.port());
            }
        }
    }

    @Test
    void theHarnessProbesRecogniseTheServers() throws Exception {
        try (NioRunning resp = new NioRunning(new RawNioRespServer(0));
                NioRunning echo = new NioRunning(new RawNioEchoServer(0))) {
            assertTrue(ServerProcess.respPing(resp.server.port()));
            assertTrue(ServerProcess.echoes(echo.server.port()));
            assertFalse(ServerProcess.respPing(echo.server.port()));
            assertFalse(ServerProcess.echoes(resp.server.port()));
        }
    }
}
