package dev.weft.bench.load;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the harness (a server under load, or a load generator), its output in a log file. Every one
 * still alive when the harness JVM exits is ended by a shutdown hook; {@link #close()} ends it earlier:
 * {@code destroy()} (SIGTERM), then {@code destroyForcibly()} (SIGKILL) after {@link #STOP_WAIT_MS}.
 */
final class ServerProcess implements AutoCloseable {

    /** How long a process gets to end after SIGTERM before SIGKILL. */
    static final long STOP_WAIT_MS = 5_000;

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                stop(p, 2_000);
            }
        }, "load-harness-cleanup"));
    }

    /** Checks that a server answers on its port. */
    @FunctionalInterface
    interface Probe {
        boolean ok(int port);
    }

    final String name;
    final Process process;
    final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a process, its output (stdout and stderr) going to {@code log}.
     *
     * @param name    for messages
     * @param command the command line
     * @param log     the log file, replaced
     * @return the process, running
     * @throws IOException if it cannot start
     */
    static ServerProcess start(String name, List<String> command, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        LIVE.add(p);
        return new ServerProcess(name, p, log);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until the log holds {@code marker} and {@code probe} succeeds on {@code port}, at most
     * {@code timeoutMs}.
     *
     * @throws IOException if the process ends first, or the time is up; the message carries the log's tail
     */
    void awaitReady(String marker, int port, Probe probe, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean marked = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " before it was ready:\n"
                        + tail(20));
            }
            if (!marked) {
                marked = Files.readString(log, StandardCharsets.ISO_8859_1).contains(marker);
            }
            if (marked && probe.ok(port)) {
                return;
            }
            sleep(50);
        }
        throw new IOException(name + " was not ready within " + timeoutMs + " ms (waiting for '" + marker
                + "' and a reply on port " + port + "):\n" + tail(20));
    }

    /**
     * Waits for the process to end by itself, at most {@code timeoutMs}; ends it otherwise.
     *
     * @return its exit status
     * @throws IOException if it had to be ended
     */
    int awaitExit(long timeoutMs) throws IOException {
        try {
            if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                LIVE.remove(process);
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IOException(name + " did not finish within " + timeoutMs + " ms; ended it");
    }

    /** The last {@code lines} lines of the log. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The whole log. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        stop(process, STOP_WAIT_MS);
        LIVE.remove(process);
    }

    private static void stop(Process p, long waitMs) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(waitMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A RESP server: {@code PING} answered with {@code +PONG}. */
    static boolean respPing(int port) {
        return exchange(port, "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII),
                "+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** An echo server: a few bytes come back. */
    static boolean echoes(int port) {
        byte[] b = "ping\n".getBytes(StandardCharsets.US_ASCII);
        return exchange(port, b, b);
    }

    private static boolean exchange(int port, byte[] request, byte[] expected) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(2_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] got = new byte[expected.length];
            int n = 0;
            while (n < got.length) {
                int r = in.read(got, n, got.length - n);
                if (r < 0) {
                    return false;
                }
                n += r;
            }
            return Arrays.equals(got, expected);
        } catch (IOException e) {
            return false;
        }
    }
}
