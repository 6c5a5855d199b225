package dev.weft.examples.resp;

import static dev.weft.examples.resp.RespTestClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * redis-py's default usage against the server, on each backend: {@code pipeline()} (MULTI/EXEC), {@code incr},
 * {@code expire} and the other string and key commands (the script {@code redis_py_smoke.py} next to this class).
 * Skipped, with the reason, when {@code /usr/bin/python3} cannot import redis ({@code apt-get install
 * python3-redis}).
 */
@Timeout(60)
class RedisPyTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final long PROCESS_TIMEOUT_SECONDS = 20;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void redisPyDefaultsWork(String backend, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(redisPyInstalled(), "redis-py not installed for " + PYTHON
                + " (apt-get install python3-redis)");
        Path script = dir.resolve("redis_py_smoke.py");
        try (InputStream in = RedisPyTest.class.getResourceAsStream("redis_py_smoke.py")) {
            Files.write(script, in.readAllBytes());
        }
        Reactor reactor = Reactors.create(backend);
        try {
            int port = RespServer.listen(reactor, "127.0.0.1", 0).getHost().getPort();
            String out = await(reactor, reactor.deferToThread(() -> run(List.of(PYTHON, script.toString(),
                    Integer.toString(port)))));
            assertEquals("ok", out);
        } finally {
            RespTestClient.stop(reactor);
        }
    }

    private static boolean redisPyInstalled() throws IOException, InterruptedException {
        if (!new File(PYTHON).canExecute()) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import redis").redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** Runs the script; returns its trimmed output, or fails with it when the script fails. */
    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(argv + " did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new AssertionError("redis-py failed (exit " + process.exitValue() + "):\n" + out);
        }
        return out;
    }
}
