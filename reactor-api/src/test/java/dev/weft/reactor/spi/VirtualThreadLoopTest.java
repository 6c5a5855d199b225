package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.defer.Deferred;
import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorNotRestartableException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code weft.loop.virtual}: the loop of a reactor that owns it runs on a virtual thread of its own (JDK 21+), the
 * same one for every run, while the caller waits; on JDK 17 it runs on the calling thread, with one warning.
 */
class VirtualThreadLoopTest {
    private static final long BOUND_SECONDS = 10;

    private static boolean virtualThreadsExist() {
        return Runtime.version().feature() >= 21;
    }

    private static boolean isVirtual(Thread t) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Test
    void callbacksRunOnOneVirtualThreadForEveryRunOfTheReactor() throws Exception {
        assumeTrue(virtualThreadsExist(), "virtual threads need JDK 21+");
        ParkingReactor r = new ParkingReactor(ReactorConfig.quiet().withVirtualLoop(true));
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        Deferred<String> a = new Deferred<>();
        r.callLater(0, () -> {
            first.set(Thread.currentThread());
            a.callback("a");
        });
        assertEquals("a", r.runUntil(a));
        Deferred<String> b = new Deferred<>();
        r.callLater(0, () -> {
            second.set(Thread.currentThread());
            b.callback("b");
        });
        assertEquals("b", r.runUntil(b));
        assertNotSame(caller, first.get(), "the loop runs on a thread of its own");
        assertTrue(isVirtual(first.get()), "a virtual thread: " + first.get());
        assertTrue(first.get().getName().startsWith("weft-loop-parking-"), first.get().getName());
        assertSame(first.get(), second.get(), "every run of the reactor uses the same thread");
        stopAndRun(r);
    }

    @Test
    void theLoopsThreadEndsWhenTheReactorHasStopped() throws Exception {
        assumeTrue(virtualThreadsExist(), "virtual threads need JDK 21+");
        ParkingReactor r = new ParkingReactor(ReactorConfig.quiet().withVirtualLoop(true));
        AtomicReference<Thread> loop = new AtomicReference<>();
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            r.stop();
        });
        r.run();
        loop.get().join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(loop.get().isAlive(), "the loop's thread ended with the reactor");
        assertThrows(ReactorNotRestartableException.class, r::run, "what the run throws is thrown as itself");
    }

    @Test
    void anInterruptOfTheThreadInRunStopsTheReactor() throws Exception {
        assumeTrue(virtualThreadsExist(), "virtual threads need JDK 21+");
        ParkingReactor r = new ParkingReactor(ReactorConfig.quiet().withVirtualLoop(true));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch shutdown = new CountDownLatch(1);
        r.callWhenRunning(running::countDown);
        r.addSystemEventTrigger(dev.weft.reactor.Phase.DURING, dev.weft.reactor.ReactorCore.SHUTDOWN,
                shutdown::countDown);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "runner");
        runner.start();
        assertTrue(running.await(BOUND_SECONDS, TimeUnit.SECONDS), "the reactor started");
        runner.interrupt();
        assertTrue(shutdown.await(BOUND_SECONDS, TimeUnit.SECONDS), "the interrupt stopped the reactor");
        runner.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(runner.isAlive(), "run() returned");
        assertEquals(null, failure.get());
    }

    @Test
    void runFromAnotherThreadWhileTheLoopRunsIsRefusedAsForAnyLoop() throws Exception {
        assumeTrue(virtualThreadsExist(), "virtual threads need JDK 21+");
        ParkingReactor r = new ParkingReactor(ReactorConfig.quiet().withVirtualLoop(true));
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicReference<Throwable> nested = new AtomicReference<>();
        r.callWhenRunning(() -> {
            Thread other = new Thread(() -> {
                try {
                    r.run();
                } catch (Throwable t) {
                    refused.set(t);
                }
            }, "second-caller");
            other.start();
            try {
                other.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                r.run();
            } catch (Throwable t) {
                nested.set(t);
            }
            r.stop();
        });
        r.run();
        assertTrue(refused.get() instanceof ReactorAlreadyRunningException, "another thread: " + refused.get());
        assertTrue(nested.get() instanceof ReactorAlreadyRunningException, "a callback: " + nested.get());
        assertTrue(nested.get().getMessage().contains("inside a callback"), nested.get().getMessage());
    }

    @Test
    void onAJdkWithoutVirtualThreadsTheLoopRunsOnTheCallingThreadWithOneWarning() throws Exception {
        assumeTrue(!virtualThreadsExist(), "JDK 17 only");
        Logger logger = (Logger) LoggerFactory.getLogger("dev.weft.reactor");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            ParkingReactor r = new ParkingReactor(ReactorConfig.quiet().withVirtualLoop(true));
            AtomicReference<Thread> loop = new AtomicReference<>();
            Deferred<Void> d = new Deferred<>();
            r.callLater(0, () -> {
                loop.set(Thread.currentThread());
                d.callback(null);
            });
            r.runUntil(d);
            assertSame(Thread.currentThread(), loop.get());
            List<ILoggingEvent> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).getFormattedMessage().contains("weft.loop.virtual=true needs JDK 21"),
                    warnings.get(0).getFormattedMessage());
            stopAndRun(r);
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static void stopAndRun(ParkingReactor r) {
        r.callWhenRunning(r::stop);
        r.run();
    }

    /** A reactor with no I/O, whose wait parks until it is woken or its time is up. */
    static final class ParkingReactor extends NoNetworkReactor {
        ParkingReactor(ReactorConfig config) {
            super("parking", config, new IoPoller() {
                private volatile Thread waiter;
                private volatile boolean woken;

                @Override
                public void poll(long timeoutNanos) {
                    if (timeoutNanos == 0) {
                        return;
                    }
                    waiter = Thread.currentThread();
                    long deadline = System.nanoTime() + (timeoutNanos < 0 ? TimeUnit.SECONDS.toNanos(1)
                            : timeoutNanos);
                    while (!woken && !Thread.currentThread().isInterrupted()) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        LockSupport.parkNanos(this, left);
                    }
                    woken = false;
                    waiter = null;
                }

                @Override
                public void wakeUp() {
                    woken = true;
                    Thread t = waiter;
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }
            });
        }
    }
}
