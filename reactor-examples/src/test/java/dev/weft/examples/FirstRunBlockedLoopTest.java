package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.SignalShutdownTest.Child;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocked-loop reports that are not the user's fault: a normal run of every example, each in a fresh child JVM with
 * the default threshold (100 ms), its first connections included, logs no blocked-loop warning on either backend;
 * what a backend loads on first use (classes, static initialisers, allocators) is loaded when the reactor is
 * created, off its loop. The positive control, {@link BlockingCallbackChild}: a callback that holds the loop for
 * 300 ms right after a first connection is still reported, once, with its stack.
 *
 * <p>The children run as a user runs the examples ({@code java -cp <the tests' class path> dev.weft.examples.Main
 * NAME ...}), all of them on every run, so that one run checks every example's first connections on a machine as busy
 * as it is (a CI machine shared with other builds).
 */
@Timeout(600)
final class FirstRunBlockedLoopTest {

    private static final String BLOCKED = "Blocked loop";
    private static final List<String> JVM = List.of("-Xmx128m");
    private static final Pattern LISTENING = Pattern.compile("(\\S+): listening on 127\\.0\\.0\\.1:(\\d+), backend .*");
    private static final Pattern HTTP = Pattern.compile("HTTP on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern WEFT_CHAT = Pattern.compile("Weft line chat on 127\\.0\\.0\\.1:(\\d+) .*");

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void normalRunsOfEveryExampleLogNoBlockedLoopWarning(String backend) throws Exception {
        List<Run> runs = new ArrayList<>();
        try {
            Run echo = Run.start(runs, "echo", "--port", "0", "--backend", backend);
            int echoPort = echo.port(LISTENING, 2);
            Run client = Run.start(runs, "echo-client", "--port", Integer.toString(echoPort), "--count", "50",
                    "--backend", backend);
            client.awaitExit(0);

            Run resp = Run.start(runs, "resp", "--port", "0", "--backend", backend);
            try (Conversation c = new Conversation(resp.port(LISTENING, 2))) {
                c.send("PING");
                assertEquals("+PONG", c.line());
                c.send("SET greeting hello");
                assertEquals("+OK", c.line());
            }

            Run chat = Run.start(runs, "chat", "--port", "0", "--backend", backend);
            try (Conversation c = new Conversation(chat.port(LISTENING, 2))) {
                assertEquals(ChatExample.ASK_NAME, c.line());
                c.send("alice");
                assertTrue(c.line().startsWith("* welcome, alice"));
                c.send("/quit");
            }

            Run.start(runs, "demo", "--backend", backend).awaitExit(0);

            if (backend.equals("netty")) {
                Run embed = Run.start(runs, "netty-embed", "--port", "0");
                int http = embed.port(HTTP, 1);
                int weft = embed.port(WEFT_CHAT, 1);
                try (Conversation c = new Conversation(http)) {
                    c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
                    assertTrue(c.line().startsWith("HTTP/1.1 200"));
                }
                try (Conversation c = new Conversation(weft)) {
                    assertTrue(c.line().startsWith("welcome"));
                    c.send("hello");
                    c.send("/quit");
                }
            }
            for (Run r : runs) {
                r.stop();
            }
            for (Run r : runs) {
                String out = r.output();
                assertTrue(!out.contains(BLOCKED), () -> r.name + " on " + backend + " reported a blocked loop in a"
                        + " normal run:\n" + out);
            }
        } finally {
            for (Run r : runs) {
                r.kill();
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void aCallbackThatHoldsTheLoopIsStillReported(String backend) throws Exception {
        List<Run> runs = new ArrayList<>();
        try {
            Run control = Run.start(runs, BlockingCallbackChild.class.getName(), List.of(backend));
            control.awaitExit(0);
            String out = control.output();
            assertTrue(out.contains("blocking-child: done"), out);
            int reports = out.split(BLOCKED, -1).length - 1;
            assertEquals(1, reports, () -> "one report, of the callback that holds the loop:\n" + out);
            String stack = out.substring(out.indexOf(BLOCKED));
            assertTrue(stack.contains("BlockingCallbackChild.holdTheLoop"), () -> "the report names the callback:\n"
                    + out);
        } finally {
            for (Run r : runs) {
                r.kill();
            }
        }
    }

    /** One child JVM: standard output read by {@link Child}, standard error in a file. */
    private static final class Run {
        final String name;
        final Child child;
        final Path stderr;

        private Run(String name, Child child, Path stderr) {
            this.name = name;
            this.child = child;
            this.stderr = stderr;
        }

        static Run start(List<Run> runs, String example, String... args) throws IOException {
            List<String> all = new ArrayList<>();
            all.add(example);
            all.addAll(List.of(args));
            return start(runs, Main.class.getName(), all);
        }

        static Run start(List<Run> runs, String mainClass, List<String> args) throws IOException {
            Path err = Files.createTempFile("weft-first-run-", ".err");
            Run r = new Run(args.isEmpty() || !mainClass.equals(Main.class.getName()) ? mainClass : args.get(0),
                    Child.start(JVM, mainClass, args, err), err);
            runs.add(r);
            return r;
        }

        /** The port in group {@code group} of the first line that matches {@code line}. */
        int port(Pattern line, int group) throws InterruptedException {
            Matcher m = line.matcher(child.awaitLine(l -> line.matcher(l).matches(), SignalShutdownTest.START_SECONDS));
            assertTrue(m.matches());
            return Integer.parseInt(m.group(group));
        }

        void awaitExit(int status) throws Exception {
            assertTrue(child.process.waitFor(SignalShutdownTest.START_SECONDS, TimeUnit.SECONDS),
                    () -> name + " did not exit: " + child.lines);
            child.drain(10);
            assertEquals(status, child.process.exitValue(), () -> name + " exit status; " + output());
        }

        /** SIGTERM, as Ctrl-C or a service manager would; waits for the exit and the end of the output. */
        void stop() throws Exception {
            if (child.process.isAlive()) {
                child.process.toHandle().destroy();
                assertTrue(child.process.waitFor(SignalShutdownTest.EXIT_SECONDS, TimeUnit.SECONDS),
                        () -> name + " did not exit after SIGTERM: " + child.lines);
                child.drain(10);
            }
        }

        String output() {
            String err;
            try {
                err = Files.readString(stderr);
            } catch (IOException e) {
                err = "(stderr unreadable: " + e + ")";
            }
            return "stdout:\n" + String.join("\n", child.lines) + "\nstderr:\n" + err;
        }

        void kill() throws Exception {
            child.kill();
            Files.deleteIfExists(stderr);
        }
    }

    /** A client connection that sends lines and reads lines, with a bounded wait. */
    private static final class Conversation implements AutoCloseable {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final BufferedReader in;

        Conversation(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(20_000);
            out = socket.getOutputStream();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String line() throws IOException {
            String l = in.readLine();
            assertTrue(l != null, "the connection ended early");
            return l;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
