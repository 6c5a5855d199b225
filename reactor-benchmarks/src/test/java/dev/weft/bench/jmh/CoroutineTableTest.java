package dev.weft.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The coroutine table: JMH CSV in, medians and per-round ratios out. */
class CoroutineTableTest {

    private static final String ROUND_TRIP_CSV = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%%)\",\"Unit\",\"Param: target\"\n"
            + "\"dev.weft.bench.jmh.CoroutineRoundTripBenchmark.roundTrip\",\"avgt\",1,3,%s,1.0,\"us/op\",\"%s\"\n";

    private static List<CoroutineTable.Sample> roundTrip(int jdk, int round, String target, double us) {
        return CoroutineTable.parse(jdk, round, String.format(java.util.Locale.ROOT, ROUND_TRIP_CSV, us, target));
    }

    @Test
    void aJmhCsvRowBecomesASample() {
        List<CoroutineTable.Sample> s = roundTrip(25, 2, "untwisted", 12.5);
        assertEquals(List.of(new CoroutineTable.Sample(25, 2, "roundTrip", "untwisted", 12.5, "us/op")), s);
        List<CoroutineTable.Sample> await = CoroutineTable.parse(17, 1, "\"Benchmark\",\"Mode\",\"Threads\","
                + "\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\"\n"
                + "\"dev.weft.bench.jmh.CoroutineAwaitBenchmark.awaitFired\",\"avgt\",1,3,7.5,0.1,\"ns/op\"\n");
        assertEquals(List.of(new CoroutineTable.Sample(17, 1, "awaitFired", "", 7.5, "ns/op")), await);
        assertThrows(IllegalArgumentException.class, () -> CoroutineTable.parse(17, 1, "\"Benchmark\",\"Unit\"\n"));
    }

    @Test
    void cellsMayBeQuotedWithCommasAndQuotesInside() {
        assertEquals(List.of("a,b", "c\"d", "", "7"), CoroutineTable.cells("\"a,b\",\"c\"\"d\",\"\",7"));
    }

    @Test
    void mediansAndPairedRatios() {
        assertEquals(2.0, CoroutineTable.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, CoroutineTable.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertThrows(IllegalArgumentException.class, () -> CoroutineTable.median(List.of()));
        // Ratios are taken round by round: a round only one side has is left out.
        assertEquals(2.0, CoroutineTable.pairedRatio(Map.of(1, 10.0, 2, 40.0, 3, 99.0), Map.of(1, 5.0, 2, 20.0)));
    }

    @Test
    void theTableShowsMediansRatiosToVertxAndVertxAsNotApplicableOn17() {
        List<CoroutineTable.Sample> all = new ArrayList<>();
        double[] weft = {10, 30, 20};
        double[] vertx = {10, 10, 10};
        for (int r = 1; r <= 3; r++) {
            all.addAll(roundTrip(25, r, "untwisted", weft[r - 1]));
            all.addAll(roundTrip(25, r, "vertx-context", vertx[r - 1]));
            all.addAll(roundTrip(17, r, "untwisted", 40));
        }
        String t = CoroutineTable.table(all);
        assertTrue(t.contains("medians of 3 interleaved round(s)"), t);
        String jdk25 = t.lines().filter(l -> l.startsWith("JDK 25") && l.contains("untwisted")).findFirst()
                .orElseThrow();
        assertTrue(jdk25.matches(".*\\s20\\.0\\s+10\\.0\\s+30\\.0\\s+2\\.00\\s+3$"), jdk25);
        String na = t.lines().filter(l -> l.startsWith("JDK 17") && l.contains("vertx")).findFirst().orElseThrow();
        assertTrue(na.contains("n/a") && na.contains("JDK 21+"), na);
    }
}
