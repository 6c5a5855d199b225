package dev.weft.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

final class EventRingTest {
    private static final PatternLayoutEncoder ENCODER = new PatternLayoutEncoder();

    private static LoggingEvent event(String message) {
        LoggerContext ctx = new LoggerContext();
        return new LoggingEvent("test", ctx.getLogger("ring"), Level.WARN, message, null, null);
    }

    private static List<String> messages(EventRing.Slice slice) {
        return slice.entries().stream().map(e -> e.event().getMessage()).toList();
    }

    @Test
    void sinceReturnsTheEventsLoggedAfterTheMarkOnly() {
        EventRing ring = new EventRing(10);
        ring.add(event("before"), ENCODER);
        long mark = ring.mark();
        ring.add(event("a"), ENCODER);
        ring.add(event("b"), ENCODER);
        EventRing.Slice slice = ring.since(mark);
        assertEquals(List.of("a", "b"), messages(slice));
        assertEquals(0, slice.dropped());
    }

    @Test
    void aFullRingDropsTheOldestAndCountsThoseAfterTheMark() {
        EventRing ring = new EventRing(2);
        long mark = ring.mark();
        for (String m : List.of("1", "2", "3", "4", "5")) {
            ring.add(event(m), ENCODER);
        }
        EventRing.Slice slice = ring.since(mark);
        assertEquals(List.of("4", "5"), messages(slice));
        assertEquals(3, slice.dropped());
        assertTrue(ring.since(ring.mark()).entries().isEmpty(), "nothing since a fresh mark");
    }

    @Test
    void aCapacityBelowOneIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EventRing(0));
        assertTrue(e.getMessage().contains("capacity"), e.getMessage());
    }
}
