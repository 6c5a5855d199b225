package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples stopped by a signal, as a user stops them (Ctrl-C, {@code kill}, a service manager): the examples'
 * {@code Main} runs in a child JVM ({@code java -cp <the tests' class path> dev.weft.examples.Main NAME --port 0
 * --backend B}); once it has printed its address and answered a client, it gets SIGTERM (what
 * {@link Process#destroy()} sends on Linux, sent with {@link ProcessHandle#destroy()}, which leaves the child's
 * output open to be read) or SIGINT ({@code kill -INT pid}).
 *
 * <p>Asserted: the JVM's shutdown hook that {@code run()} installs stops the reactor and its shutdown triggers run
 * (the example's AFTER trigger prints {@code NAME: stopped}, its last line; the chat's BEFORE trigger tells its
 * user that the server is going down before it closes the connection); the process exits within
 * {@value #EXIT_SECONDS} s; the open client connection ends; nothing is logged at ERROR; and the exit status is the
 * JVM's for that signal, 128 + the signal's number: 143 for SIGTERM, 130 for SIGINT. It is not 0: the signal starts
 * the JVM's shutdown, which runs the hooks (the reactor's waits for {@code run()} to return) and then halts with
 * that status; the {@code System.exit(0)} that {@code Main} calls after {@code run()} returns waits behind the
 * shutdown already under way.
 *
 * <p>A process started in the background by a non-interactive shell has SIGINT ignored, and a JVM leaves an ignored
 * SIGINT alone; so the child is started through {@code env --default-signal=INT,TERM} (GNU coreutils 8.31+) when
 * that is there, and the SIGINT test is skipped, with the reason, if the child still ignores SIGINT.
 */
@Timeout(300)
final class SignalShutdownTest {

    /** The longest a child may take to start and print its address, in seconds (a cold JVM on a busy machine). */
    static final long START_SECONDS = 60;
    /** The longest a child may take to exit after the signal, in seconds. */
    static final long EXIT_SECONDS = 20;

    private static final Pattern LISTENING = Pattern.compile(
            "(\\S+): listening on 127\\.0\\.0\\.1:(\\d+), backend (\\S+)");
    private static final String EOF = "\u0000EOF";

    static Stream<Arguments> examplesOnEachBackend() {
        List<Arguments> list = new ArrayList<>();
        for (String example : new String[] {"resp", "echo", "chat"}) {
            for (String backend : new String[] {"untwisted", "netty"}) {
                list.add(Arguments.of(example, backend));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("examplesOnEachBackend")
    void sigtermRunsTheShutdownTriggersAndExitsWithStatus143(String example, String backend) throws Exception {
        stopBySignal(example, backend, "TERM", 143);
    }

    @ParameterizedTest(name = "resp on {0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void sigintRunsTheShutdownTriggersAndExitsWithStatus130(String backend) throws Exception {
        stopBySignal("resp", backend, "INT", 130);
    }

    private static void stopBySignal(String example, String backend, String signal, int expectedStatus)
            throws Exception {
        Path stderr = Files.createTempFile("weft-signal-" + example + "-", ".err");
        Child child = Child.start(example, backend, stderr);
        try {
            String line = child.awaitLine(l -> LISTENING.matcher(l).matches(), START_SECONDS);
            Matcher m = LISTENING.matcher(line);
            assertTrue(m.matches());
            assertEquals(example, m.group(1), line);
            assertEquals(NetTesting.backendName(backend), m.group(3), line);
            int port = Integer.parseInt(m.group(2));
            if (signal.equals("INT")) {
                Assumptions.assumeFalse(ignores(child.process.pid(), 2), "the child ignores SIGINT, inherited "
                        + "from a parent started in the background, and env --default-signal is not available");
            }
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(EXIT_SECONDS));
                BufferedReader replies = exchange(example, client);

                if (signal.equals("TERM")) {
                    // SIGTERM, as Process.destroy() sends on Linux; but through the ProcessHandle, which leaves the
                    // child's output open to be read (Process.destroy() closes it).
                    assertTrue(child.process.toHandle().destroy(), "SIGTERM could not be sent");
                } else {
                    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.process.pid()))
                            .redirectErrorStream(true).start();
                    assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -INT did not return");
                    assertEquals(0, kill.exitValue(), "kill -INT failed");
                }
                assertTrue(child.process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS), () -> "the " + example + " child "
                        + "did not exit within " + EXIT_SECONDS + " s of SIG" + signal + "; output so far: "
                        + child.lines + stderrOf(stderr));
                String rest = readToEnd(replies);
                assertEquals(example.equals("chat") ? ChatExample.GOING_DOWN : "", rest.strip(), "what the client "
                        + "got after the signal, then the end of its connection (the chat's BEFORE trigger says "
                        + "goodbye to each user and closes the connection)");
            }
            List<String> out = child.drain(10);
            String all = "stdout " + out + stderrOf(stderr);
            assertEquals(expectedStatus, child.process.exitValue(), "the exit status after SIG" + signal + "; "
                    + all);
            assertEquals(example + ": stopped", out.get(out.size() - 1), "the AFTER shutdown trigger ran last; "
                    + all);
            assertEquals(1, out.stream().filter(l -> l.equals(example + ": stopped")).count(), all);
            assertFalse(out.stream().anyMatch(l -> l.contains("ERROR")), "nothing logged at ERROR; " + all);
            String err = Files.readString(stderr);
            assertFalse(err.contains("ERROR") || err.contains("did not shut down"), all);
        } finally {
            child.kill();
            Files.deleteIfExists(stderr);
        }
    }

    /** One request and its answer, so the example has served before the signal; returns the client's reader. */
    private static BufferedReader exchange(String example, Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8));
        switch (example) {
            case "resp":
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("+PONG", in.readLine());
                break;
            case "echo":
                out.write("hello\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("hello", in.readLine());
                break;
            default:
                assertEquals("name?", in.readLine(), "the chat asks for a name");
                break;
        }
        return in;
    }

    /**
     * What is left to read, to the end of the stream (at most 64 KiB); a reset ends it too (the peer is gone either
     * way). The socket's timeout bounds the wait.
     */
    private static String readToEnd(BufferedReader in) throws IOException {
        StringBuilder rest = new StringBuilder();
        char[] buf = new char[4096];
        try {
            for (int n; rest.length() < 64 * 1024 && (n = in.read(buf)) >= 0; ) {
                rest.append(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            rest.append("");
        }
        return rest.toString();
    }

    private static String stderrOf(Path stderr) {
        try {
            return "; stderr: " + Files.readString(stderr);
        } catch (IOException e) {
            return "; stderr unreadable: " + e;
        }
    }

    /** Whether process {@code pid} ignores signal {@code number} ({@code SigIgn} of {@code /proc/PID/status}). */
    static boolean ignores(long pid, int number) throws IOException {
        Path status = Paths.get("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(l.substring("SigIgn:".length()).trim(), 16);
                return (mask & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    /** The child JVM and its standard output, read line by line by a thread of its own. */
    static final class Child {
        final Process process;
        final List<String> lines = new ArrayList<>();
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

        private Child(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        queue.add(l);
                    }
                } catch (IOException e) {
                    queue.add("(reading the child's output failed: " + e + ")");
                } finally {
                    queue.add(EOF);
                }
            }, "signal-test-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String example, String backend, Path stderr) throws IOException {
            return start(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), Main.class.getName(),
                    List.of(example, "--port", "0", "--backend", backend), stderr);
        }

        /** Starts {@code java <jvmOptions> -cp <the tests' class path> <mainClass> <args>}. */
        static Child start(List<String> jvmOptions, String mainClass, List<String> args, Path stderr)
                throws IOException {
            List<String> cmd = new ArrayList<>();
            if (envResetsSignals()) {
                cmd.add("env");
                cmd.add("--default-signal=INT,TERM");
            }
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass);
            cmd.addAll(args);
            return new Child(new ProcessBuilder(cmd).redirectError(stderr.toFile()).start());
        }

        /** The first line that matches, waiting at most {@code seconds} in all. */
        String awaitLine(java.util.function.Predicate<String> match, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                long left = deadline - System.nanoTime();
                String l = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                if (l == null || l.equals(EOF)) {
                    fail("no matching line within " + seconds + " s" + (l == null ? "" : " (the output ended)")
                            + "; lines: " + lines + "; alive: " + process.isAlive());
                }
                lines.add(l);
                if (match.test(l)) {
                    return l;
                }
            }
        }

        /** The lines printed since the last one read, to the end of the output (at most {@code seconds}). */
        List<String> drain(long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                long left = deadline - System.nanoTime();
                String l = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                if (l == null) {
                    fail("the output did not end within " + seconds + " s of the exit; lines: " + lines);
                }
                if (l.equals(EOF)) {
                    return lines;
                }
                lines.add(l);
            }
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Boolean envResets;

    /** Whether {@code env --default-signal} works here (GNU coreutils 8.31 and later). */
    static synchronized boolean envResetsSignals() {
        if (envResets == null) {
            boolean ok;
            try {
                Process p = new ProcessBuilder("env", "--default-signal=INT,TERM", "true").redirectErrorStream(true)
                        .start();
                p.getInputStream().transferTo(OutputStream.nullOutputStream());
                ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            }
            envResets = ok;
        }
        return envResets;
    }
}
