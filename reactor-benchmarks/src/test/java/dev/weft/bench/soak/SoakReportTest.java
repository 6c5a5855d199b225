package dev.weft.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The soak's checks on made-up figures (each bound just met, then just missed), and its options. */
final class SoakReportTest {

    private static final long MB = 1024 * 1024;

    /** A report every check passes: 1,000 connections, every one lost, the heap and fds as they were. */
    private static SoakReport healthy() {
        SoakReport r = new SoakReport();
        r.backend = "untwisted";
        r.plannedSeconds = 60;
        r.ranSeconds = 60;
        r.drained = true;
        r.drainSeconds = 0.1;
        r.start = new ProcStats.Figures(20 * MB, 100 * MB, 40, 20);
        r.end = new ProcStats.Figures(20 * MB, 120 * MB, 40, 30);
        r.resourcesStart = new SoakReport.Resources(1, 0, 0, 0);
        r.resourcesEnd = new SoakReport.Resources(1, 0, 0, 0);
        SoakCounts c = r.counts;
        c.connectAttempts = 1_000;
        c.connected = 1_000;
        c.clientLost = 1_000;
        c.serverMade = 1_000;
        c.serverLost = 1_000;
        c.bytesVerified = 1_000_000;
        c.timersFired = 10;
        c.timersCancelled = 5;
        c.threadCallsRun = 100;
        c.deferSucceeded = 9;
        c.deferFailedAsExpected = 1;
        return r;
    }

    private static List<String> failed(SoakReport r) {
        return r.checks().stream().filter(k -> !k.passed()).map(SoakReport.Check::name).collect(Collectors.toList());
    }

    @Test
    void healthyFiguresPassEveryCheck() {
        SoakReport r = healthy();
        assertEquals(List.of(), failed(r), r.format());
        assertTrue(r.passed());
        assertTrue(r.format().endsWith("RESULT PASS" + System.lineSeparator()), r.format());
    }

    @Test
    void moreThanEightNewFileDescriptorsFail() {
        SoakReport r = healthy();
        r.end = new ProcStats.Figures(20 * MB, 120 * MB, 40 + SoakReport.FD_MARGIN, 30);
        assertEquals(List.of(), failed(r));
        r.end = new ProcStats.Figures(20 * MB, 120 * MB, 40 + SoakReport.FD_MARGIN + 1, 30);
        assertEquals(List.of("open fds"), failed(r));
        assertFalse(r.passed());
        assertTrue(r.format().contains("FAIL open fds: 40 -> 49 (at most +8)"), r.format());
        assertTrue(r.format().endsWith("RESULT FAIL" + System.lineSeparator()), r.format());
    }

    @Test
    void aHeapOverTwiceTheStartPlus16MbFails() {
        SoakReport r = healthy();
        r.end = new ProcStats.Figures(2 * 20 * MB + 16 * MB, 120 * MB, 40, 30);
        assertEquals(List.of(), failed(r));
        r.end = new ProcStats.Figures(2 * 20 * MB + 16 * MB + 1, 120 * MB, 40, 30);
        assertEquals(List.of("heap after GC"), failed(r));
    }

    @Test
    void aConnectionNotLostOnEitherSideFails() {
        SoakReport r = healthy();
        r.counts.clientLost = 999;
        assertEquals(List.of("every connection lost"), failed(r));
        r = healthy();
        r.counts.serverLost = 999;
        assertEquals(List.of("every connection lost"), failed(r));
        r = healthy();
        r.counts.connectAttempts = 1_001;
        assertEquals(List.of("every connection lost"), failed(r), "an attempt neither made nor failed");
    }

    @Test
    void leftoverReactorResourcesFail() {
        SoakReport r = healthy();
        r.resourcesEnd = new SoakReport.Resources(2, 0, 0, 0);
        assertEquals(List.of("reactor resources back"), failed(r));
        r.resourcesEnd = new SoakReport.Resources(1, 0, 0, 1);
        assertEquals(List.of("reactor resources back"), failed(r));
    }

    @Test
    void anyErrorOrAnUndrainedLoadOrALoadThatDidNotRunFails() {
        SoakReport r = healthy();
        r.errorCount = 1;
        r.firstErrors = List.of("a client got back other bytes than it sent");
        assertEquals(List.of("no errors"), failed(r));
        assertTrue(r.format().contains("error: a client got back other bytes than it sent"), r.format());
        r = healthy();
        r.drained = false;
        r.undrained = "3 clients";
        assertEquals(List.of("drained"), failed(r));
        r = healthy();
        r.counts.timersCancelled = 0;
        assertEquals(List.of("the load ran"), failed(r));
    }

    @Test
    void optionsAreParsedAndBadOnesRefusedByName() {
        Soak.Options o = Soak.Options.parse(new String[] {"--backend", "netty-epoll", "--seconds", "2.5", "--out",
            "x.txt", "--seed", "9", "--progress", "1"});
        assertEquals("netty-epoll", o.backend);
        assertEquals(2.5, o.seconds);
        assertEquals(Paths.get("x.txt"), o.out);
        assertEquals(9, o.seed);
        assertEquals(1.0, o.progressSeconds);
        Soak.Options d = Soak.Options.parse(new String[0]);
        assertEquals("untwisted", d.backend);
        assertEquals(60, d.seconds);
        assertEquals(null, d.out);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Soak.Options.parse(
                new String[] {"--backend", "nope"})).getMessage().contains("--backend"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Soak.Options.parse(
                new String[] {"--seconds", "0"})).getMessage().contains("--seconds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Soak.Options.parse(
                new String[] {"--seconds"})).getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Soak.Options.parse(
                new String[] {"--bogus", "1"})).getMessage().contains("--bogus"));
    }
}
