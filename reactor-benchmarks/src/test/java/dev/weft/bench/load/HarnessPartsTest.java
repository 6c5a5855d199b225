package dev.weft.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's parsing and arithmetic, without processes. */
class HarnessPartsTest {

    @Test
    void procStatTicksAreCountedFromTheLastParenthesis() {
        String stat = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 12345 0 0 0 700 55 0 0 20 0 30 0 100 0 0";
        assertEquals(755, ProcCpu.parseTicks(stat));
    }

    @Test
    void thisProcessHasUsedSomeCpu() throws IOException {
        long before = ProcCpu.ticks(ProcessHandle.current().pid());
        long x = 0;
        long end = System.nanoTime() + 100_000_000L;
        while (System.nanoTime() < end) {
            x += System.nanoTime() % 7;
        }
        assertTrue(x >= 0);
        assertTrue(ProcCpu.ticks(ProcessHandle.current().pid()) > before);
        assertTrue(ProcCpu.ticksPerSecond() > 0);
    }

    @Test
    void redisBenchmarkCsvIsReadByColumnName() {
        String out = "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\","
                + "\"p99_latency_ms\",\"max_latency_ms\"\n"
                + "\"PING_INLINE\",\"689655.19\",\"0.794\",\"0.128\",\"0.783\",\"1.231\",\"2.199\",\"2.327\"\n"
                + "\"SET\",\"666666.69\",\"0.911\",\"0.320\",\"0.871\",\"1.303\",\"2.743\",\"2.871\"\n";
        Map<String, RedisBenchmarkCsv.Row> rows = RedisBenchmarkCsv.parse("progress...\r" + out);
        assertEquals(List.of("PING_INLINE", "SET"), List.copyOf(rows.keySet()));
        RedisBenchmarkCsv.Row set = rows.get("SET");
        assertEquals(666666.69, set.rps(), 1e-9);
        assertEquals(0.871, set.p50Ms(), 1e-9);
        assertEquals(2.743, set.p99Ms(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> RedisBenchmarkCsv.parse("Could not connect"));
        assertEquals(List.of("a,b", "c\"d", ""), RedisBenchmarkCsv.cells("\"a,b\",\"c\"\"d\",\"\""));
    }

    @Test
    void echoResultLineIsRead() throws IOException {
        LoadHarness.EchoResult r = LoadHarness.parseEchoResult("echo-load: ...\nRESULT msgs=10 seconds=1.0 rate=10.00"
                + " mean_ms=0.5 p50_ms=0.4000 p99_ms=0.9000 max_ms=1.0\n");
        assertEquals(10.0, r.rate(), 1e-9);
        assertEquals(0.4, r.p50Ms(), 1e-9);
        assertEquals(0.9, r.p99Ms(), 1e-9);
        assertThrows(IOException.class, () -> LoadHarness.parseEchoResult("nothing"));
    }

    @Test
    void histogramQuantilesAreWithinItsRelativeError() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1_000);
        }
        assertEquals(100_000, h.count());
        assertEquals(50_000_000, h.quantile(0.5), 50_000_000 / 64.0);
        assertEquals(99_000_000, h.quantile(0.99), 99_000_000 / 64.0);
        assertEquals(100_000_000, h.max());
        for (long v : new long[] {0, 1, 127, 128, 129, 1000, 123_456_789, Long.MAX_VALUE / 2}) {
            int i = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.lowest(i) <= v && v <= LatencyHistogram.highest(i), "value " + v);
        }
        h.reset();
        assertEquals(0, h.quantile(0.5));
    }

    @Test
    void ratiosAndTargetsAreTakenAgainstTheRightRows() {
        List<Measurement> rows = List.of(
                new Measurement("weft-netty-nio", "SET P16", 900, 1.0, 2.0, 1040, 0.5, null),
                new Measurement("raw-netty-nio", "SET P16", 1000, 0.5, 1.0, 1000, 0.5, null),
                new Measurement("weft-untwisted", "SET P16", 1000, 0.5, 1.0, 1200, 0.5, null),
                new Measurement("raw-nio", "SET P16", 1000, 0.5, 1.0, 1000, 0.5, null),
                new Measurement("weft-untwisted", "echo 64B c50", 1000, 0.5, 1.0, 1000, 0.5, null),
                new Measurement("raw-nio", "echo 64B c50", 1000, 0.5, 1.0, 1000, 0.5, null),
                Measurement.failed("weft-netty-epoll", "SET P16", "skipped: epoll unavailable"));
        ResultTable t = new ResultTable(rows);
        String[] weftNetty = t.cells().get(0);
        assertEquals("0.90", weftNetty[7]);
        assertEquals("2.00", weftNetty[8]);
        assertEquals("1.04", weftNetty[10]);
        List<String[]> targets = t.targetCells();
        assertEquals(3, targets.size());
        assertEquals("within", targets.get(0)[6]);
        assertEquals("over", targets.get(1)[6]);
        assertEquals("<= 1.10", targets.get(1)[5]);
        assertEquals("within", targets.get(2)[6]);
        assertTrue(t.text().contains("skipped: epoll unavailable"));
        assertTrue(t.markdown().startsWith("| server | test |"));
    }

    @Test
    void mediansOverRounds() {
        List<Measurement> a = List.of(new Measurement("s", "t", 1, 1, 1, 100, 0.1, null));
        List<Measurement> b = List.of(new Measurement("s", "t", 3, 3, 3, 300, 0.3, null));
        List<Measurement> c = List.of(new Measurement("s", "t", 2, 2, 2, 200, 0.2, null));
        Measurement m = LoadHarness.medians(List.of(a, b, c)).get(0);
        assertEquals(200, m.cpuNsPerReq(), 1e-9);
        assertEquals(2, m.rps(), 1e-9);
    }

    @Test
    void settingsAndOptions() {
        LoadHarness.Settings q = LoadHarness.settings(new String[] {"--quick", "--servers", "raw-nio,redis",
            "--requests=500"});
        assertTrue(q.quick());
        assertEquals(List.of("raw-nio", "redis"), q.servers());
        assertEquals(500, q.requests());
        assertEquals(20_000, q.requestsP1());
        assertThrows(IllegalArgumentException.class, () -> LoadHarness.settings(new String[] {"--servers", "x"}));
        assertThrows(IllegalArgumentException.class, () -> LoadHarness.settings(new String[] {"--bogus"}));
        Args a = new Args(new String[] {"--n", "1_000"}, Set.of("n"), Set.of());
        assertEquals(1000, a.number("n", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> a.number("n", 0, 5000));
    }

    @Test
    void coroutineAndVertxServersServeEchoOnly() {
        for (String srv : List.of("weft-coroutine-untwisted", "weft-coroutine-netty-nio",
                "weft-coroutine-cont-untwisted", "vertx-eventloop", "vertx-virtual")) {
            assertTrue(LoadHarness.serves(srv, "echo"), srv);
            assertTrue(!LoadHarness.serves(srv, "resp"), srv);
        }
        assertTrue(LoadHarness.serves("weft-untwisted", "resp") && LoadHarness.serves("weft-untwisted", "echo"));
        assertTrue(LoadHarness.serves("redis", "resp") && !LoadHarness.serves("redis", "echo"));
        assertTrue(LoadHarness.ALL_SERVERS.containsAll(List.of("weft-coroutine-untwisted", "vertx-eventloop",
                "vertx-virtual")));
    }

    @Test
    void theCoroutineEchoServerIsHeldAgainstTheCallbackOneOnTheSameBackend() {
        List<Measurement> rows = List.of(
                new Measurement("weft-untwisted", "echo 64B c50", 1000, 0.5, 1.0, 1000, 0.5, null),
                new Measurement("weft-coroutine-untwisted", "echo 64B c50", 900, 0.6, 1.2, 1250, 0.5, null),
                new Measurement("weft-netty-nio", "echo 64B c50", 1000, 0.5, 1.0, 1000, 0.5, null),
                new Measurement("weft-coroutine-netty-nio", "echo 64B c50", 900, 0.6, 1.2, 1400, 0.5, null),
                new Measurement("vertx-virtual", "echo 64B c50", 900, 0.6, 1.2, 1400, 0.5, null));
        List<String[]> targets = new ResultTable(rows).targetCells();
        assertEquals(2, targets.size());
        assertEquals("weft-coroutine-untwisted / weft-untwisted", targets.get(0)[1]);
        assertEquals("1.25", targets.get(0)[4]);
        assertEquals("<= 1.30", targets.get(0)[5]);
        assertEquals("within", targets.get(0)[6]);
        assertEquals("over", targets.get(1)[6]);
    }

    @Test
    void twoThreadServersAndPinningAreOptions() {
        LoadHarness.Settings s = LoadHarness.settings(new String[] {"--servers",
                "weft-untwisted-x2,weft-netty-nio-x2,raw-netty-nio-x2,redis-io2", "--server-cpus", "0,1",
                "--client-cpus", "0"});
        assertEquals(List.of("weft-untwisted-x2", "weft-netty-nio-x2", "raw-netty-nio-x2", "redis-io2"), s.servers());
        assertEquals("0,1", s.serverCpus());
        assertEquals("0", s.clientCpus());
        for (String acceptor : List.of("weft-untwisted-x2-acceptor", "weft-netty-epoll-x2-acceptor")) {
            assertEquals(List.of(acceptor), LoadHarness.settings(new String[] {"--servers", acceptor}).servers());
            assertTrue(LoadHarness.serves(acceptor, "resp") && LoadHarness.serves(acceptor, "echo"), acceptor);
        }
        assertEquals(List.of("taskset", "-c", "0,1", "java", "-version"),
                LoadHarness.pinned(List.of("java", "-version"), s.serverCpus()));
        assertEquals(List.of("java"), LoadHarness.pinned(List.of("java"), null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadHarness.settings(new String[] {"--server-cpus", "first"}));
        assertTrue(e.getMessage().startsWith("--server-cpus"), e.getMessage());
    }
}
