package dev.weft.compat.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredList;
import dev.weft.protocol.ConnectionClosedException;
import dev.weft.reactor.Reactor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;

/**
 * The callbacks of child processes against real Twisted 22.4: {@code differential/process_differential.py} runs a
 * few children through Twisted's {@code spawnProcess} (output on both streams, exit 3, killed by TERM, killed by
 * KILL, {@code cat} with its input closed) and prints each one's events; Weft runs the same children. For each, both
 * logs must hold the same events (the same reasons, exit codes and signals), and both must satisfy every order
 * Twisted fixes ({@link ProcessContractTest#assertTwistedOrder}): checking Twisted's own log too pins that those
 * orders are Twisted's. What Twisted leaves unordered (processExited against the streams' ends) may differ.
 *
 * <p>Skipped, with the reason, only when {@code /usr/bin/python3} with Twisted is absent ({@code .ci/run} installs
 * {@code python3-twisted}).
 */
final class ProcessTwistedDifferentialTest {
    private static final String PYTHON = "/usr/bin/python3";

    /** The children, as the oracle spawns them: name, arguments of {@code /bin/sh}, signal, standard input. */
    private record Child(String name, List<String> args, String signal, String stdin) {
    }

    private static final List<Child> CHILDREN = List.of(
            new Child("echo", List.of("sh", "-c", "printf out; printf err >&2"), null, null),
            new Child("exit3", List.of("sh", "-c", "exit 3"), null, null),
            new Child("term", List.of("sh", "-c", "exec sleep 30"), "TERM", null),
            new Child("kill", List.of("sh", "-c", "exec sleep 30"), "KILL", null),
            new Child("cat", List.of("sh", "-c", "exec cat"), null, "hello"));

    private static Map<String, List<String>> oracle;

    @ContractTest
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the first runs Python
    void eachChildMakesTwistedsEventsInAnOrderTwistedAllows(ReactorHarness h) throws Exception {
        Map<String, List<String>> twisted = oracle();
        Reactor r = h.reactor();
        Map<String, ProcessRecorder> weft = new LinkedHashMap<>();
        List<Deferred<ConnectionClosedException>> ends = new ArrayList<>();
        for (Child c : CHILDREN) {
            ProcessRecorder p = new ProcessRecorder().onMade(t -> {
                if (c.signal() != null) {
                    t.signalProcess(c.signal());
                }
                if (c.stdin() != null) {
                    t.write(c.stdin().getBytes(StandardCharsets.UTF_8));
                    t.closeStdin();
                }
            });
            r.spawnProcess(p, "/bin/sh", c.args(), null, null);
            weft.put(c.name(), p);
            ends.add(p.ended);
        }
        h.runUntil(DeferredList.gatherResults(ends));
        for (Child c : CHILDREN) {
            List<String> t = twisted.get(c.name());
            List<String> w = weft.get(c.name()).events();
            assertEquals(t.stream().sorted().toList(), w.stream().sorted().toList(), c.name() + ": the same events "
                    + "as Twisted's " + t + ", in Weft " + w);
            ProcessContractTest.assertTwistedOrder(t);
            ProcessContractTest.assertTwistedOrder(w);
        }
    }

    private static synchronized Map<String, List<String>> oracle() throws Exception {
        if (oracle == null) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is absent: cannot run Twisted");
            URL url = ProcessTwistedDifferentialTest.class.getResource("/differential/process_differential.py");
            if (url == null) {
                throw new AssertionError("differential/process_differential.py is not on the test class path");
            }
            Process p = new ProcessBuilder(PYTHON, Path.of(url.toURI()).toString()).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String out = readAll(p.getInputStream());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the oracle did not finish within 30 s");
            String errors = err.get(10, TimeUnit.SECONDS);
            Assumptions.assumeFalse(errors.contains("No module named 'twisted'"), PYTHON + " has no Twisted "
                    + "(apt-get install python3-twisted)");
            assertEquals(0, p.exitValue(), "the oracle failed: " + errors);
            Map<String, List<String>> logs = new LinkedHashMap<>();
            for (String line : out.lines().toList()) {
                if (!line.equals("done")) {
                    String[] words = line.split(" ");
                    logs.put(words[0], List.of(Arrays.copyOfRange(words, 1, words.length)));
                }
            }
            assertEquals(CHILDREN.size(), logs.size(), "children in the oracle's output: " + out);
            oracle = logs;
        }
        return oracle;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read the oracle's output", e);
        }
    }
}
