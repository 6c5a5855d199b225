package dev.weft.examples.resp;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for differential tests: started on a free loopback port with no persistence, ready
 * once it logs that it accepts connections, killed by {@link #close()}.
 */
final class RedisServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 10;
    private static final long STOP_TIMEOUT_SECONDS = 5;
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Where {@code redis-server} is: {@code /usr/bin/redis-server}, else the first on the PATH.
     *
     * @return the executable, or null when it is not installed
     */
    static String executable() {
        if (new File("/usr/bin/redis-server").canExecute()) {
            return "/usr/bin/redis-server";
        }
        return RedisCliTest.onPath("redis-server") ? "redis-server" : null;
    }

    /**
     * Starts a server and waits until it is ready. A port taken between choosing it and binding it is retried on
     * another one, a bounded number of times.
     *
     * @param executable the {@code redis-server} to run
     * @return the running server
     * @throws Exception if it does not start
     */
    static RedisServerProcess start(String executable) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = freePort();
            Process p = new ProcessBuilder(List.of(executable, "--save", "", "--appendonly", "no",
                    "--port", Integer.toString(port), "--bind", "127.0.0.1"))
                    .redirectErrorStream(true).start();
            CompletableFuture<Boolean> ready = new CompletableFuture<>();
            StringBuilder log = new StringBuilder();
            Thread reader = new Thread(() -> readLog(p, ready, log), "redis-server-log");
            reader.setDaemon(true);
            reader.start();
            RedisServerProcess server = new RedisServerProcess(p, port);
            try {
                if (ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    return server;
                }
            } catch (java.util.concurrent.TimeoutException e) {
                // reported below
            }
            server.close();
            synchronized (log) {
                last = new IllegalStateException("redis-server did not start on port " + port + ": " + log);
            }
        }
        throw last;
    }

    /** Reads the server's output; completes {@code ready} with true when it accepts connections, false at EOF. */
    private static void readLog(Process p, CompletableFuture<Boolean> ready, StringBuilder log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (log) {
                    if (log.length() < 8192) {
                        log.append(line).append('\n');
                    }
                }
                if (line.contains("Ready to accept connections")) {
                    ready.complete(true);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        ready.complete(false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * The port it listens on, on 127.0.0.1.
     *
     * @return the port
     */
    int port() {
        return port;
    }

    /** Kills the server and waits, bounded, for it to end. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
