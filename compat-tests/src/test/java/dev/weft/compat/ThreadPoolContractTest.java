package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorNotRunningException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The thread pool: callInThread, deferToThread, blockingCallFromThread, suggestThreadPoolSize. */
final class ThreadPoolContractTest {

    /** A distinct failure for identity checks. */
    static final class MarkerException extends Exception {
        private static final long serialVersionUID = 1L;

        MarkerException(String message) {
            super(message);
        }
    }

    @ContractTest
    void callInThreadRunsOffTheReactorThread(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Thread> loop = new AtomicReference<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            r.callInThread(() -> {
                worker.set(Thread.currentThread());
                r.callFromThread(r::stop);
            });
        });
        h.run();
        assertNotNull(worker.get());
        assertNotSame(loop.get(), worker.get());
    }

    @ContractTest
    void threadPoolIsJoinedBeforeRunReturns(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Thread> worker = new AtomicReference<>();
        r.callWhenRunning(() -> r.callInThread(() -> {
            worker.set(Thread.currentThread());
            r.callFromThread(r::stop);
        }));
        h.run();
        assertNotNull(worker.get(), "the task ran");
        assertFalse(worker.get().isAlive(), "the pool thread " + worker.get().getName()
                + " is still alive after run() returned");
    }

    @ContractTest
    void callInThreadMadeBeforeRunWaitsForIt(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicBoolean inRun = new AtomicBoolean();
        List<String> events = new CopyOnWriteArrayList<>();
        r.callInThread(() -> {
            events.add("task, inRun=" + inRun.get());
            r.callFromThread(r::stop);
        });
        inRun.set(true);
        h.run();
        assertEquals(List.of("task, inRun=true"), events);
    }

    @ContractTest
    void suggestThreadPoolSizeCapsConcurrency(ReactorHarness h) {
        Reactor r = h.reactor();
        int cap = 2;
        int tasks = 4;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch overCap = new CountDownLatch(1);
        r.suggestThreadPoolSize(cap);
        r.callWhenRunning(() -> {
            for (int i = 0; i < tasks; i++) {
                r.callInThread(() -> {
                    int now = running.incrementAndGet();
                    max.accumulateAndGet(now, Math::max);
                    if (now > cap) {
                        overCap.countDown();
                    }
                    // Hold the thread long enough for a pool above the cap to start one more task.
                    Await.latchWithin(overCap, Duration.ofMillis(150));
                    running.decrementAndGet();
                    if (done.incrementAndGet() == tasks) {
                        r.callFromThread(r::stop);
                    }
                });
            }
        });
        h.run();
        assertEquals(tasks, done.get(), "every task ran");
        assertTrue(max.get() <= cap, max.get() + " tasks ran at once with a pool of " + cap);
    }

    @ContractTest
    void deferToThreadDeliversTheResultOnTheReactorThread(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Thread> loop = new AtomicReference<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicReference<Thread> callback = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            r.deferToThread(() -> {
                worker.set(Thread.currentThread());
                return "value";
            }).addBoth((v, f) -> {
                callback.set(Thread.currentThread());
                result.set(f != null ? f : v);
                r.stop();
                return null;
            });
        });
        h.run();
        assertEquals("value", result.get());
        assertNotSame(loop.get(), worker.get(), "the function ran in the pool");
        assertSame(loop.get(), callback.get(), "the result was delivered on the reactor thread");
    }

    @ContractTest
    void deferToThreadDeliversTheFailureOnTheReactorThread(ReactorHarness h) {
        Reactor r = h.reactor();
        MarkerException boom = new MarkerException("boom");
        AtomicReference<Thread> loop = new AtomicReference<>();
        AtomicReference<Thread> errback = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            r.deferToThread(() -> {
                throw boom;
            }).addErrback(f -> {
                errback.set(Thread.currentThread());
                failure.set(f);
                r.stop();
                return null;
            });
        });
        h.run();
        assertSame(boom, failure.get());
        assertSame(loop.get(), errback.get());
    }

    @ContractTest
    void blockingCallFromThreadReturnsTheValue(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Thread> loop = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            r.callInThread(() -> {
                try {
                    result.set(r.blockingCallFromThread(() -> {
                        ranOn.set(Thread.currentThread());
                        Deferred<String> d = new Deferred<>();
                        r.callLater(0.01, () -> d.callback("later"));
                        return d;
                    }));
                } catch (Throwable t) {
                    result.set(t);
                }
                r.callFromThread(r::stop);
            });
        });
        h.run();
        assertEquals("later", result.get());
        assertSame(loop.get(), ranOn.get(), "f ran on the reactor thread");
    }

    @ContractTest
    void blockingCallFromThreadRethrowsTheFailure(ReactorHarness h) {
        Reactor r = h.reactor();
        MarkerException deferredFailure = new MarkerException("deferred failure");
        IllegalStateException thrownByF = new IllegalStateException("thrown by f");
        List<Throwable> caught = new CopyOnWriteArrayList<>();
        r.callWhenRunning(() -> r.callInThread(() -> {
            try {
                r.blockingCallFromThread(() -> Deferred.fail(deferredFailure));
            } catch (Throwable t) {
                caught.add(t);
            }
            try {
                r.blockingCallFromThread(() -> {
                    throw thrownByF;
                });
            } catch (Throwable t) {
                caught.add(t);
            }
            r.callFromThread(r::stop);
        }));
        h.run();
        assertEquals(2, caught.size(), "both calls threw: " + caught);
        assertSame(deferredFailure, caught.get(0), "the Deferred's failure, as it is");
        assertSame(thrownByF, caught.get(1), "f's exception, as it is");
    }

    @ContractTest
    void blockingCallFromThreadAcceptsANullDeferred(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Object> result = new AtomicReference<>("unset");
        r.callWhenRunning(() -> r.callInThread(() -> {
            try {
                result.set(r.blockingCallFromThread(() -> null));
            } catch (Throwable t) {
                result.set(t);
            }
            r.callFromThread(r::stop);
        }));
        h.run();
        assertEquals(null, result.get());
    }

    @ContractTest
    void blockingCallFromThreadRefusesOnTheReactorThread(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean fRan = new AtomicBoolean();
        r.callWhenRunning(() -> {
            thrown.set(assertThrows(IllegalStateException.class, () -> r.blockingCallFromThread(() -> {
                fRan.set(true);
                return Deferred.succeed(1);
            })));
            r.stop();
        });
        h.run();
        assertNotNull(thrown.get());
        assertFalse(fRan.get(), "f must not run when the call is refused");
    }

    @ContractTest
    void blockingCallFromThreadFailsWhenTheReactorStopsFirst(ReactorHarness h) {
        Reactor r = h.reactor();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch callerDone = new CountDownLatch(1);
        CountDownLatch fRan = new CountDownLatch(1);
        r.callWhenRunning(() -> {
            Thread caller = new Thread(() -> {
                try {
                    r.blockingCallFromThread(() -> {
                        fRan.countDown();
                        r.stop();
                        return new Deferred<>(); // never fires
                    });
                } catch (Throwable t) {
                    thrown.set(t);
                } finally {
                    callerDone.countDown();
                }
            }, "caller");
            caller.setDaemon(true);
            caller.start();
        });
        h.run();
        Await.latch(callerDone, "blockingCallFromThread to give up once the reactor stopped");
        assertTrue(thrown.get() instanceof ReactorNotRunningException, "got " + thrown.get());
    }
}
