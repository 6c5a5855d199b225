package dev.weft.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.basic.LineReceiver;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The netty-embed example end to end: HTTP from the JDK's client, the Weft chat from a Weft client. */
@Timeout(30)
class NettyEmbedExampleTest {
    private static final double WAIT_SECONDS = 5;

    /** Reads the welcome line, says hello, and reports the lines once the echo is back. */
    private static final class ChatClient extends LineReceiver {
        final Deferred<List<String>> echoed = new Deferred<>();
        final List<String> lines = new ArrayList<>();

        @Override
        protected void lineReceived(byte[] line) {
            String text = new String(line, UTF_8);
            lines.add(text);
            if (lines.size() == 1) {
                sendLine("hello");
            } else if (text.startsWith("echo: ") && !echoed.isCalled()) {
                echoed.callback(List.copyOf(lines));
                transport().loseConnection();
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            if (!echoed.isCalled()) {
                echoed.errback(reason);
            }
        }
    }

    @Test
    void servesHttpAndAWeftLineChatOnOneLoopThenStopsCleanly() throws Exception {
        // The example reports its chat factory's life on standard output: captured, and checked at the end.
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            servesHttpAndAWeftLineChat();
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(UTF_8);
        assertTrue(printed.contains("weft: chat factory started (first connection)"), printed);
        assertTrue(printed.contains("weft: chat factory stopped"), printed);
    }

    private static void servesHttpAndAWeftLineChat() throws Exception {
        NettyEmbedExample.Running running = NettyEmbedExample.start("127.0.0.1", 0, 0);
        try {
            assertNotEquals(0, running.httpAddress().getPort());
            assertNotEquals(0, running.weftAddress().getPort());
            assertEquals("netty-attached-nio", running.backendName(), "the startup line names what runs");

            Reactor client = Reactors.create();
            ChatClient chat = new ChatClient();
            client.connectTCP("127.0.0.1", running.weftAddress().getPort(), ClientFactory.forProtocol(() -> chat));
            List<String> lines = client.runUntil(chat.echoed.addTimeout(WAIT_SECONDS, client));
            client.stop();
            client.run();
            assertTrue(lines.get(0).startsWith("welcome, user1"), lines.toString());
            assertEquals("echo: hello", lines.get(1));

            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.httpAddress().getPort()
                    + "/")).timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> page = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Weft lines received: 1"), page.body());
            assertTrue(page.body().contains("Weft line chat on 127.0.0.1:" + running.weftAddress().getPort()),
                    page.body());
            HttpRequest missing = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + running.httpAddress().getPort() + "/nope")).timeout(Duration.ofSeconds(5)).GET().build();
            assertEquals(404, http.send(missing, HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            running.stop();
        }
        assertTrue(running.reactorStopped(), "the Weft reactor's shutdown triggers ran");
        assertTrue(running.terminated(), "the Netty group is shut down");
    }

    @Test
    void theChatTakesLinesEndedByLfAsNcSendsThemAndByCrLf() throws Exception {
        NettyEmbedExample.Running running = NettyEmbedExample.start("127.0.0.1", 0, 0);
        try (Socket s = new Socket("127.0.0.1", running.weftAddress().getPort())) {
            s.setSoTimeout(5_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
            OutputStream out = s.getOutputStream();
            assertTrue(in.readLine().startsWith("welcome, user1"));
            out.write("from nc\n".getBytes(UTF_8));
            out.flush();
            assertEquals("echo: from nc", in.readLine());
            out.write("from telnet\r\n".getBytes(UTF_8));
            out.flush();
            assertEquals("echo: from telnet", in.readLine());
            out.write("/quit\n".getBytes(UTF_8));
            out.flush();
            assertEquals("bye", in.readLine());
        } finally {
            running.stop();
        }
    }

    @Test
    void aBusyHttpPortIsNamedAsTheHttpPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Exception e = assertThrows(Exception.class, () -> NettyEmbedExample.start("127.0.0.1", port, 0));
            assertTrue(e.getMessage().contains("HTTP port 127.0.0.1:" + busy.getLocalPort() + " is in use"),
                    e.getMessage());
        }
    }

    @Test
    void aBusyChatPortIsNamedAsTheChatPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            Exception e = assertThrows(Exception.class, () -> NettyEmbedExample.start("127.0.0.1", 0, port));
            assertTrue(e.getMessage().contains("chat port 127.0.0.1:" + busy.getLocalPort() + " is in use"),
                    e.getMessage());
        }
    }

    @Test
    void mainSaysWhichPortIsBusy() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PrintStream old = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, UTF_8));
            int status;
            try {
                status = Main.run(new String[] {"netty-embed", "--port", String.valueOf(busy.getLocalPort() - 1)});
            } finally {
                System.setErr(old);
            }
            assertEquals(1, status);
            assertTrue(err.toString(UTF_8).contains("netty-embed: cannot start: the chat port 127.0.0.1:"
                    + busy.getLocalPort() + " is in use"), err.toString(UTF_8));
        }
    }

    private static String runCapturing(int expectedStatus, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            assertEquals(expectedStatus, Main.run(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(UTF_8);
    }

    @Test
    void helpPrintsTheUsage() {
        String out = runCapturing(0, "netty-embed", "--help", "--backend", "untwisted");
        assertTrue(out.contains("usage: netty-embed [--port N] [--host ADDRESS] [--help]"), out);
        assertTrue(out.contains("Netty only"), out);
        assertTrue(runCapturing(0, "--help").contains("netty-embed"));
    }

    @Test
    void badOptionsAreRefused() {
        String unknown = RefusedRun.stderrOf(2, "netty-embed", "--nope");
        assertTrue(unknown.contains("unknown option '--nope'"), unknown);
        String port = RefusedRun.stderrOf(2, "netty-embed", "--port", "65535");
        assertTrue(port.contains("--port") && port.contains("65534"), port);
    }
}
