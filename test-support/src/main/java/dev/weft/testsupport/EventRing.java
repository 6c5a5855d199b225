package dev.weft.testsupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last events logged in this JVM, each with a sequence number, at most {@code capacity} of them (the oldest go
 * first). A test takes a {@link #mark()} when it starts and reads {@link #since(long)} when it fails; nothing is
 * ever cleared, so tests that run inside other tests (the JUnit test kit) do not take their parent's events away.
 * Thread-safe: events come from any thread.
 */
final class EventRing {
    /** One captured event and the encoder of the appender that captured it (which formats it when printed). */
    record Entry(ILoggingEvent event, Encoder<ILoggingEvent> encoder) {
    }

    /** The events logged since a mark that are still held, and how many of them the ring has dropped. */
    record Slice(List<Entry> entries, long dropped) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /** The sequence number of the next event. */
    private long next;

    /**
     * A ring that holds at most {@code capacity} events.
     *
     * @param capacity the bound, at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    EventRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Keeps one event, dropping the oldest when full.
     *
     * @param event   the event, already prepared for deferred processing
     * @param encoder how to format it
     */
    synchronized void add(ILoggingEvent event, Encoder<ILoggingEvent> encoder) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(event, encoder));
        next++;
    }

    /**
     * The sequence number the next event will get.
     *
     * @return the mark
     */
    synchronized long mark() {
        return next;
    }

    /**
     * The events logged since {@code mark} that the ring still holds, oldest first.
     *
     * @param mark a value of {@link #mark()}
     * @return the events and the count of those already dropped
     */
    synchronized Slice since(long mark) {
        long first = next - entries.size();
        long from = Math.max(mark, first);
        List<Entry> out = new ArrayList<>((int) Math.max(0, next - from));
        long seq = first;
        for (Entry e : entries) {
            if (seq >= from) {
                out.add(e);
            }
            seq++;
        }
        return new Slice(out, Math.max(0, first - mark));
    }
}
