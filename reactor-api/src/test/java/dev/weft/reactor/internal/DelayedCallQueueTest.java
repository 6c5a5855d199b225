package dev.weft.reactor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.AlreadyCancelledException;
import dev.weft.reactor.DelayedCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The lazy-cancel heap: what a cancelled call leaves behind, and that order and reporting survive it. */
class DelayedCallQueueTest {
    private double now;
    private int newEarliest;
    private final DelayedCallQueue q = new DelayedCallQueue(() -> now, () -> newEarliest++);


    @Test
    void cancelledCallsLeaveSizeActiveAndNextDeadlineAtOnce() {
        DelayedCall a = q.schedule(1, () -> { });
        DelayedCall b = q.schedule(2, () -> { });
        a.cancel();
        assertEquals(1, q.size());
        assertEquals(List.of(b), q.active());
        assertEquals(2.0, q.nextDeadline());
        b.cancel();
        assertEquals(0, q.size());
        assertEquals(Double.POSITIVE_INFINITY, q.nextDeadline());
        assertTrue(q.active().isEmpty());
    }

    @Test
    void aCancelledCallNeverRunsAndCannotBeCancelledTwice() {
        List<String> ran = new ArrayList<>();
        DelayedCall a = q.schedule(1, () -> ran.add("a"));
        q.schedule(1, () -> ran.add("b"));
        a.cancel();
        now = 5;
        assertEquals(1, q.runDue(now, (call, f) -> f.run()));
        assertEquals(List.of("b"), ran);
        assertFalse(a.active());
        assertThrows(AlreadyCancelledException.class, a::cancel);
    }

    @Test
    void aCallEarlierThanEveryActiveOneIsReportedEvenBehindACancelledTop() {
        DelayedCall top = q.schedule(1, () -> { });
        q.schedule(10, () -> { });
        top.cancel();
        int before = newEarliest;
        q.schedule(5, () -> { }); // later than the cancelled top, earlier than every active call
        assertEquals(before + 1, newEarliest);
        assertEquals(5.0, q.nextDeadline());
    }

    @Test
    void resetBehindACancelledTopIsReportedAsTheNewEarliest() {
        DelayedCall top = q.schedule(1, () -> { });
        DelayedCall later = q.schedule(10, () -> { });
        top.cancel();
        int before = newEarliest;
        later.reset(3);
        assertEquals(before + 1, newEarliest);
        assertEquals(3.0, q.nextDeadline());
    }

    @Test
    void cancellingMoreThanHalfPurgesTheHeapSoItHoldsAtMostTwiceTheActiveCalls() {
        List<DelayedCall> calls = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            calls.add(q.schedule(1 + i % 100, () -> { }));
        }
        for (int i = 0; i < 9_000; i++) {
            calls.get(i).cancel();
        }
        assertEquals(1_000, q.size());
        assertTrue(q.heapSlotsInUse() <= 2 * 1_000 + DelayedCallQueue.PURGE_MIN,
                "heap entries " + q.heapSlotsInUse() + " for 1,000 active calls");
    }

    @Test
    void randomScheduleCancelResetAndRunKeepsTimeThenSchedulingOrder() {
        Random rnd = new Random(42);
        // the model: due time -> sequence -> name; a reset moves a call to the end of its new time's ties
        TreeMap<Double, List<String>> model = new TreeMap<>();
        List<DelayedCall> live = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                String name = "c" + step;
                double t = rnd.nextInt(50);
                live.add(q.schedule(t, () -> ran.add(name)));
                names.add(name);
                model.computeIfAbsent(now + t, k -> new ArrayList<>()).add(name);
            } else {
                int i = rnd.nextInt(live.size());
                DelayedCall c = live.get(i);
                String name = names.get(i);
                model.get(c.getTime()).remove(name);
                if (op < 9) {
                    c.cancel();
                    live.remove(i);
                    names.remove(i);
                } else {
                    double t = rnd.nextInt(50);
                    c.reset(t);
                    model.computeIfAbsent(now + t, k -> new ArrayList<>()).add(name);
                }
            }
            assertEquals(live.size(), q.size());
        }
        List<String> expected = new ArrayList<>();
        model.values().forEach(expected::addAll);
        now = 1_000;
        q.runDue(now, (call, f) -> f.run());
        assertEquals(expected, ran);
        assertEquals(0, q.size());
    }
}
