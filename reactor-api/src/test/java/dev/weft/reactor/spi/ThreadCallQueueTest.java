package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The callFromThread queue: snapshots, order per producer, exactly once. */
class ThreadCallQueueTest {
    private final ThreadCallQueue q = new ThreadCallQueue();

    @Test
    void aPassRunsOnlyTheCallsPresentWhenItStarted() {
        List<String> ran = new ArrayList<>();
        q.add(() -> {
            ran.add("a");
            q.add(() -> ran.add("added by a"));
        });
        q.add(() -> ran.add("b"));
        assertEquals(2, q.runSnapshot(Runnable::run));
        assertEquals(List.of("a", "b"), ran);
        assertFalse(q.isEmpty());
        assertEquals(1, q.runSnapshot(Runnable::run));
        assertEquals(List.of("a", "b", "added by a"), ran);
        assertTrue(q.isEmpty());
        assertEquals(0, q.runSnapshot(Runnable::run));
    }

    @Test
    void aNestedPassTakesTheRestAndTheOuterPassRunsNothingTwice() {
        List<String> ran = new ArrayList<>();
        q.add(() -> {
            ran.add("a");
            q.runSnapshot(Runnable::run);
        });
        q.add(() -> ran.add("b"));
        q.add(() -> ran.add("c"));
        q.runSnapshot(Runnable::run);
        assertEquals(List.of("a", "b", "c"), ran);
        assertTrue(q.isEmpty());
    }

    @Test
    void passesOfOddSizesAcrossManyChunksRunEveryCallOnceInOrder() {
        List<Integer> ran = new ArrayList<>();
        int added = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 517; i++) {
                int n = added++;
                q.add(() -> ran.add(n));
            }
            if (round % 3 != 0) {
                q.runSnapshot(Runnable::run);
            }
        }
        q.runSnapshot(Runnable::run);
        assertEquals(added, ran.size());
        for (int i = 0; i < added; i++) {
            assertEquals(i, ran.get(i));
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void callsFromFourThreadsRunExactlyOnceEachInTheirThreadsOrder() throws InterruptedException {
        int threads = 4;
        int perThread = 50_000;
        int[] next = new int[threads];
        int[] errors = new int[1];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    q.add(() -> {
                        if (next[id] != n) {
                            errors[0]++;
                        }
                        next[id] = n + 1;
                    });
                }
                done.countDown();
            }, "producer-" + t);
            th.setDaemon(true);
            th.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long ran = 0;
        while ((done.getCount() > 0 || !q.isEmpty()) && System.nanoTime() < deadline) {
            ran += q.runSnapshot(Runnable::run);
        }
        assertTrue(done.await(1, TimeUnit.SECONDS), "producers finished");
        ran += q.runSnapshot(Runnable::run);
        assertEquals((long) threads * perThread, ran);
        assertEquals(0, errors[0]);
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t]);
        }
        assertTrue(q.isEmpty());
    }
}
