package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.compat.harness.Await;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import dev.weft.reactor.Reactor;
import dev.weft.task.Task;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Coroutine bodies on a running reactor (the reactor-facing rules of {@code Deferred.fromCoroutine}): a body running
 * on the reactor's behalf has the reactor thread's identity, so every reactor and transport method works from it
 * as from a callback, with the same effects in the same order, Netty's own thread checks included; one of the body
 * and the reactor thread runs at a time; a body that blocks is reported with its own stack; and a body still
 * suspended when shutdown completes is cancelled, never left waiting.
 */
final class CoroutineContractTest {
    private static final String THRESHOLD = "weft.blocked.threshold.ms";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A client that keeps what it receives and fires {@link #done} with it when the connection is lost. */
    private static final class Collector extends Protocol {
        final Deferred<Void> made = new Deferred<>();
        final Deferred<String> done = new Deferred<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public void connectionMade() {
            made.callback(null);
        }

        @Override
        public void dataReceived(byte[] data) {
            text.append(new String(data, StandardCharsets.US_ASCII));
        }

        @Override
        public void connectionLost(Throwable reason) {
            done.callback(text.toString());
        }
    }

    /** Each server connection runs {@code onMade} when it is made. */
    private static Factory serving(java.util.function.Consumer<Protocol> onMade) {
        return Factory.forProtocol(() -> new Protocol() {
            @Override
            public void connectionMade() {
                onMade.accept(this);
            }
        });
    }

    private static Collector connectCollector(Reactor r, ListeningPort port) {
        Collector c = new Collector();
        r.connectTCP("127.0.0.1", port.getHost().getPort(), ClientFactory.forProtocol(() -> c));
        return c;
    }

    @ContractTest
    void writesFromABodyAndFromCallbacksReachThePeerInProgramOrder(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        ListeningPort port = r.listenTCP(0, serving(p -> {
            Deferred<Void> first = new Deferred<>();
            Deferred<Void> second = new Deferred<>();
            Deferred.fromCoroutine(() -> {
                first.await();
                p.transport().write(ascii("b0a "));
                second.await();
                p.transport().write(ascii("b0b"));
                p.transport().loseConnection();
                return null;
            });
            r.callLater(0, () -> {
                p.transport().write(ascii("c0 "));
                first.callback(null); // the body writes b0a, then awaits second, inside this call
                p.transport().write(ascii("c1 "));
                r.callLater(0, () -> second.callback(null));
            });
        }), 50, "127.0.0.1");
        Collector client = connectCollector(r, port);
        assertEquals("c0 b0a c1 b0b", h.runUntil(r, client.done),
                "what a body writes must reach the peer in program order with what callbacks write");
    }

    @ContractTest
    void manyWritesFromABodyBeforeItSuspendsReachThePeerInOrderBeforeItsClose(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        int chunks = 500; // well past what a body may queue for the loop thread before it waits
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            expected.append(i).append(',');
        }
        ListeningPort port = r.listenTCP(0, serving(p -> {
            Deferred<Void> go = new Deferred<>();
            Deferred.fromCoroutine(() -> {
                go.await();
                for (int i = 0; i < chunks; i++) {
                    p.transport().write(ascii(i + ","));
                }
                p.transport().loseConnection();
                return null;
            });
            r.callLater(0, () -> go.callback(null));
        }), 50, "127.0.0.1");
        Collector client = connectCollector(r, port);
        assertEquals(expected.toString(), h.runUntil(r, client.done),
                "every write of a body must reach the peer, in order, before its loseConnection");
    }

    @ContractTest
    void aBodyResumesInsideTheReactorCallbackThatFiresItsDeferredAndNeverRunsBesideIt(ReactorHarness h)
            throws Exception {
        Reactor r = h.reactor();
        int rounds = 2_000;
        List<Integer> shared = new ArrayList<>(); // plain list: the strict hand-off is the only guard
        boolean[] insideFiringCallback = {false};
        List<String> violations = new ArrayList<>();
        Deferred<Integer>[] next = newGate();
        Deferred<Integer> body = Deferred.fromCoroutine(() -> {
            for (int i = 0; i < rounds; i++) {
                int n = next[0].await();
                if (!insideFiringCallback[0]) {
                    violations.add("round " + i + " resumed outside the callback that fired it");
                }
                shared.add(-n);
            }
            return shared.size();
        });
        Runnable[] fire = new Runnable[1];
        int[] round = {0};
        fire[0] = () -> {
            int n = round[0]++;
            shared.add(n);
            Deferred<Integer> gate = next[0];
            next[0] = new Deferred<>();
            insideFiringCallback[0] = true;
            gate.callback(n); // the body runs now, until its next await, while this callback waits
            insideFiringCallback[0] = false;
            if (round[0] < rounds) {
                r.callLater(0, fire[0]);
            }
        };
        r.callLater(0, fire[0]);
        assertEquals(2 * rounds, h.runUntil(r, body));
        assertEquals(List.of(), violations);
        for (int i = 0; i < rounds; i++) {
            assertEquals(i, shared.get(2 * i), "the callback's entry of round " + i);
            assertEquals(-i, shared.get(2 * i + 1), "the body's entry of round " + i + ", right after it");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array: created raw, then typed
    private static Deferred<Integer>[] newGate() {
        return new Deferred[] {new Deferred<Integer>()};
    }

    @ContractTest
    void reactorAndTransportMethodsWorkFromABodyAsFromACallback(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        Deferred<String> result = new Deferred<>();
        r.callWhenRunning(() -> Deferred.fromCoroutine(() -> {
            Task.deferLater(r, 0).await(); // from here on, resumed by the reactor
            Deferred<Protocol> server = new Deferred<>();
            ListeningPort port = r.listenTCP(0, serving(server::callback), 50, "127.0.0.1");
            Collector client = connectCollector(r, port);
            client.made.await();
            Protocol p = server.await();
            int[] resumed = {0};
            p.transport().registerProducer(new PushProducer() {
                @Override
                public void pauseProducing() {
                }

                @Override
                public void resumeProducing() {
                    resumed[0]++;
                }

                @Override
                public void stopProducing() {
                }
            }, true);
            p.transport().write(ascii("hello from a body"));
            p.transport().unregisterProducer();
            p.transport().loseConnection();
            String received = client.done.await();
            port.stopListening().await();
            Deferred<Void> later = new Deferred<>();
            r.callLater(0.001, () -> later.callback(null));
            later.await();
            r.stop();
            return received;
        }).chainDeferred(result));
        h.run(r);
        assertEquals("hello from a body", outcome(result), "the body must have ended before run() returned");
    }

    @ContractTest
    void bodyStartedFromCallFromThreadActsAsTheReactor(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        Deferred<List<String>> result = new Deferred<>();
        r.callWhenRunning(() -> {
            Thread t = new Thread(() -> r.callFromThread(() -> Deferred.fromCoroutine(() -> {
                List<String> seen = new ArrayList<>();
                seen.add("started");
                Task.deferLater(r, 0).await();
                Deferred<String> timer = new Deferred<>();
                r.callLater(0, () -> timer.callback("callLater ran"));
                seen.add(timer.await());
                return seen;
            }).chainDeferred(result)), "foreign");
            t.setDaemon(true);
            t.start();
        });
        assertEquals(List.of("started", "callLater ran"), h.runUntil(r, result));
    }

    @ContractTest
    void bodyOnAForeignThreadsBehalfFailsWhereThatThreadWould(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        CompletableFuture<List<String>> outcome = new CompletableFuture<>();
        r.callWhenRunning(() -> {
            Thread t = new Thread(() -> {
                List<String> seen = new ArrayList<>();
                seen.add(attempt(r));
                Deferred.fromCoroutine(() -> {
                    seen.add(attempt(r));
                    return null;
                });
                outcome.complete(seen);
            }, "foreign");
            t.setDaemon(true);
            t.start();
        });
        Deferred<List<String>> d = new Deferred<>();
        r.callWhenRunning(() -> {
            Thread waiter = new Thread(() -> {
                try {
                    List<String> seen = outcome.get(5, TimeUnit.SECONDS);
                    r.callFromThread(() -> d.callback(seen));
                } catch (Exception e) {
                    r.callFromThread(() -> d.errback(e));
                }
            }, "waiter");
            waiter.setDaemon(true);
            waiter.start();
        });
        List<String> seen = h.runUntil(r, d);
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).startsWith("IllegalStateException"), "callLater from a foreign thread: " + seen);
        assertEquals(seen.get(0), seen.get(1), "a body on the foreign thread's behalf must fail as that thread does");
    }

    /** What {@code d} fired with, "failed: ..." for a failure, or "not fired". */
    private static String outcome(Deferred<String> d) {
        String[] got = {"not fired"};
        d.addBoth((v, f) -> {
            got[0] = f != null ? "failed: " + f : v;
            return null;
        });
        return got[0];
    }

    private static String attempt(Reactor r) {
        try {
            r.callLater(0, () -> { }).cancel();
            return "allowed";
        } catch (IllegalStateException e) {
            return "IllegalStateException: " + e.getMessage();
        }
    }

    @ContractTest
    void bodyStartedBeforeRunIsResumedByTheReactor(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        Deferred<String> d = Deferred.fromCoroutine(() -> {
            Task.deferLater(r, 0.001).await();
            Deferred<String> timer = new Deferred<>();
            r.callLater(0, () -> timer.callback("resumed on the reactor"));
            return timer.await();
        });
        assertEquals("resumed on the reactor", h.runUntil(r, d));
    }

    @ContractTest
    void bodyStillSuspendedWhenShutdownCompletesIsCancelled(ReactorHarness h) {
        Reactor r = h.reactor();
        Deferred<String> body = new Deferred<>();
        r.callWhenRunning(() -> Deferred.fromCoroutine(() -> {
            try {
                Task.deferLater(r, 3600).await();
                return "the timer fired";
            } catch (CancelledException e) {
                return "cancelled at shutdown";
            }
        }).chainDeferred(body));
        r.callLater(0.01, r::stop);
        h.run(r);
        assertEquals("cancelled at shutdown", outcome(body),
                "a body suspended across stop() must not be left waiting once run() returns");
    }

    @ContractTest
    void bodyBlockingWithoutAwaitingIsReportedWithTheBodysStack(ReactorHarness h) {
        LogCapture logs = h.captureLogs();
        Reactor r = h.newReactorWith(THRESHOLD, "50");
        Predicate<ILoggingEvent> warning = LogCapture.atLeast(Level.WARN)
                .and(LogCapture.mentions("holdTheLoopInsideABody"));
        r.callLater(0.02, () -> Deferred.fromCoroutine(() -> {
            Task.deferLater(r, 0).await();
            holdTheLoopInsideABody(logs, warning);
            r.stop();
            return null;
        }));
        h.run(r);
        ILoggingEvent e = logs.await(warning, Duration.ofSeconds(1));
        assertNotNull(e, "no warning naming the body's frame (holdTheLoopInsideABody); got "
                + logs.events().stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    /** Holds the loop from inside a body until the detector has logged it (bounded: 2 s). */
    private static void holdTheLoopInsideABody(LogCapture logs, Predicate<ILoggingEvent> warning) {
        Await.spinUntil(() -> logs.has(warning), Duration.ofSeconds(2));
    }
}
