package dev.weft.examples.resp;

import static dev.weft.examples.resp.RespTestClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real {@code redis-cli} against the server, on each backend. Skipped, with the reason, when {@code redis-cli}
 * is not on the PATH ({@code apt-get install redis-tools}).
 */
@Timeout(60)
class RedisCliTest {

    private static final long PROCESS_TIMEOUT_SECONDS = 10;

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, program);
            if (f.isFile() && f.canExecute()) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untwisted", "netty"})
    void redisCliPingSetGet(String backend) throws Exception {
        Assumptions.assumeTrue(onPath("redis-cli"), "redis-cli not installed (apt-get install redis-tools)");
        Reactor reactor = Reactors.create(backend);
        try {
            int port = RespServer.listen(reactor, "127.0.0.1", 0).getHost().getPort();
            assertEquals("PONG", redisCli(reactor, port, "PING"));
            assertEquals("OK", redisCli(reactor, port, "SET", "k", "v"));
            assertEquals("v", redisCli(reactor, port, "GET", "k"));
            assertEquals("1", redisCli(reactor, port, "INCR", "n"));
        } finally {
            RespTestClient.stop(reactor);
        }
    }

    /** Runs redis-cli in a pool thread while the reactor serves it; returns its trimmed output. */
    private static String redisCli(Reactor reactor, int port, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        argv.addAll(List.of(command));
        return await(reactor, reactor.deferToThread(() -> run(argv)));
    }

    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(argv + " did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new AssertionError(argv + " exited with " + process.exitValue() + ": " + out);
        }
        return out;
    }
}
