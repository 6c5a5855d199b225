package dev.weft.compat.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredList;
import dev.weft.process.ProcessDone;
import dev.weft.process.ProcessExitedAlreadyException;
import dev.weft.process.ProcessTerminated;
import dev.weft.process.ProcessTransport;
import dev.weft.protocol.ConnectionClosedException;
import dev.weft.protocol.PushProducer;
import dev.weft.reactor.Reactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child processes on every backend: output and exit delivered in Twisted's order on the reactor thread, standard
 * input with flow control, signals, environment and working directory, bounded buffering of a flooding child, the
 * shutdown rule, and clear errors for bad input.
 */
final class ProcessContractTest {
    static final String SH = "/bin/sh";

    static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Twisted's fixed order: made first, ended last and once, after exited and the three ends; data before its end. */
    static void assertTwistedOrder(List<String> events) {
        assertEquals("made", events.get(0), "connectionMade comes first: " + events);
        assertTrue(events.get(events.size() - 1).startsWith("ended:"), "processEnded comes last: " + events);
        assertEquals(1, events.stream().filter(e -> e.startsWith("ended:")).count(), "processEnded once: " + events);
        assertEquals(1, events.stream().filter(e -> e.startsWith("exited:")).count(), "processExited once: " + events);
        for (String lost : List.of("inLost", "outLost", "errLost")) {
            assertEquals(1, events.stream().filter(lost::equals).count(), lost + " once: " + events);
        }
        int outLost = events.indexOf("outLost");
        int errLost = events.indexOf("errLost");
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith("out:")) {
                assertTrue(i < outLost, "standard output's data comes before its end: " + events);
            }
            if (events.get(i).startsWith("err:")) {
                assertTrue(i < errLost, "standard error's data comes before its end: " + events);
            }
        }
    }

    @ContractTest
    void outputAndErrorArriveOnTheReactorThreadThenProcessEndedWithProcessDone(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        AtomicReference<Thread> reactorThread = new AtomicReference<>();
        r.callWhenRunning(() -> reactorThread.set(Thread.currentThread()));
        ProcessRecorder p = new ProcessRecorder();
        r.callWhenRunning(() -> r.spawnProcess(p, SH, sh("printf out; printf err >&2")));
        ConnectionClosedException reason = h.runUntil(p.ended);
        assertInstanceOf(ProcessDone.class, reason);
        assertEquals(0, ((ProcessDone) reason).exitCode().getAsInt());
        assertSame(reason, p.exitedReason(), "processExited and processEnded get the same reason");
        assertEquals("out", p.out());
        assertEquals("err", p.err());
        assertTwistedOrder(p.events());
        assertEquals(java.util.Set.of(reactorThread.get()), p.threads(), "every callback runs on the reactor "
                + "thread");
    }

    @ContractTest
    void aNonZeroExitIsProcessTerminatedWithTheCode(ReactorHarness h) throws Exception {
        ProcessRecorder p = new ProcessRecorder();
        ProcessTransport t = h.reactor().spawnProcess(p, SH, sh("exit 3"), null, null);
        assertTrue(t.getPid().isPresent(), "a running child has a pid");
        ConnectionClosedException reason = h.runUntil(p.ended);
        ProcessTerminated term = assertInstanceOf(ProcessTerminated.class, reason);
        assertEquals(3, term.exitCode().getAsInt());
        assertFalse(term.signal().isPresent(), "an exit has no signal");
        assertEquals(List.of("made", "inLost", "outLost", "errLost", "exited:ProcessTerminated:3:None",
                "ended:ProcessTerminated:3:None").stream().sorted().toList(),
                p.events().stream().sorted().toList());
        assertTwistedOrder(p.events());
        assertEquals(OptionalLong.empty(), t.getPid(), "the pid is gone once the exit is reported");
        assertThrows(ProcessExitedAlreadyException.class, () -> t.signalProcess("TERM"));
    }

    @ContractTest
    void aChildKilledByASignalIsProcessTerminatedWithTheSignal(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        List<String> names = List.of("TERM", "KILL", "HUP", "INT");
        List<Integer> numbers = List.of(15, 9, 1, 2);
        List<ProcessRecorder> kids = new ArrayList<>();
        List<Deferred<ConnectionClosedException>> ends = new ArrayList<>();
        for (String name : names) {
            // The child announces that it runs, then the test signals it: a signal that arrives while the shell
            // still sets up could meet a disposition it inherited rather than the default.
            ProcessRecorder p = new ProcessRecorder() {
                @Override
                public void outReceived(byte[] data) {
                    super.outReceived(data);
                    transport.signalProcess(name);
                }
            };
            r.spawnProcess(p, SH, sh("trap - " + name + " 2>/dev/null; echo ready; exec sleep 30"), null, null);
            kids.add(p);
            ends.add(p.ended);
        }
        h.runUntil(DeferredList.gatherResults(ends));
        for (int i = 0; i < names.size(); i++) {
            ProcessRecorder p = kids.get(i);
            ProcessTerminated term = assertInstanceOf(ProcessTerminated.class, p.ended.toCompletableFuture().get(),
                    names.get(i));
            assertEquals(numbers.get(i), term.signal().getAsInt(), names.get(i) + ": " + p.events());
            assertFalse(term.exitCode().isPresent(), "a signal death has no exit code");
            assertTwistedOrder(p.events());
        }
    }

    @ContractTest
    void stdinIsWrittenInOrderAndClosed(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        AtomicReference<Throwable> afterClose = new AtomicReference<>();
        ProcessRecorder p = new ProcessRecorder().onMade(t -> {
            t.write(ascii("hello "));
            t.writeSequence(List.of(ascii("wor"), ascii("ld")));
            t.closeStdin();
            t.closeStdin();
            afterClose.set(assertThrows(IllegalStateException.class, () -> t.write(ascii("late"))));
        });
        r.callWhenRunning(() -> r.spawnProcess(p, "cat", List.of("cat")));
        assertInstanceOf(ProcessDone.class, h.runUntil(p.ended));
        assertEquals("hello world", p.out());
        assertTrue(afterClose.get().getMessage().contains("closeStdin"), afterClose.get().getMessage());
        assertTwistedOrder(p.events());
        assertTrue(p.events().indexOf("inLost") < p.events().indexOf("outLost"), "cat ends its output after its "
                + "input: " + p.events());
    }

    /** A streaming producer that writes {@code total} bytes to a child's stdin, then closes it. */
    static final class Pump implements PushProducer {
        final List<String> log = new ArrayList<>();
        private final ProcessTransport t;
        private final int total;
        private int written;
        private boolean paused;

        Pump(ProcessTransport t, int total) {
            this.t = t;
            this.total = total;
        }

        void pump() {
            while (!paused && written < total) {
                t.write(new byte[16 * 1024]);
                written += 16 * 1024;
            }
            if (written >= total && !paused) {
                t.unregisterProducer();
                t.closeStdin();
                log.add("done");
            }
        }

        boolean paused() {
            return paused;
        }

        @Override
        public void pauseProducing() {
            paused = true;
            log.add("pause@" + written);
        }

        @Override
        public void resumeProducing() {
            paused = false;
            log.add("resume");
            pump();
        }

        @Override
        public void stopProducing() {
            log.add("stop");
        }
    }

    @ContractTest
    void aStdinProducerIsPausedWhileTheChildDoesNotReadAndResumedWhenItDoes(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        int total = 1024 * 1024;
        ProcessRecorder p = new ProcessRecorder();
        AtomicReference<Pump> pump = new AtomicReference<>();
        r.callWhenRunning(() -> {
            // The child reads nothing for its first half second (the behaviour under test), then counts its input.
            ProcessTransport t = r.spawnProcess(p, SH, sh("sleep 0.5; exec wc -c"), null, null);
            Pump producer = new Pump(t, total);
            pump.set(producer);
            t.registerProducer(producer, true);
            producer.pump();
            r.callLater(0.2, () -> producer.log.add("paused at 0.2 s: " + producer.paused()));
        });
        ConnectionClosedException reason = h.runUntil(p.ended);
        List<String> log = pump.get().log;
        assertInstanceOf(ProcessDone.class, reason, p.events() + " " + log);
        assertTrue(log.get(0).startsWith("pause@"), "writing more than the buffer to a child that does not read "
                + "pauses the producer: " + log);
        int pausedAt = Integer.parseInt(log.get(0).substring("pause@".length()));
        assertTrue(pausedAt <= 2 * 64 * 1024 + 16 * 1024, "paused soon after 64 KiB were queued: " + log);
        assertTrue(log.contains("paused at 0.2 s: true"), "it stays paused while the child does not read: " + log);
        assertTrue(log.contains("resume") && log.contains("done"), "it is resumed once the child reads: " + log);
        assertEquals(String.valueOf(total), p.out().strip(), "every byte reached the child: " + log);
    }

    @ContractTest
    void aFloodingChildIsNotBufferedWithoutBoundWhileTheProtocolIsPaused(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        long total = 8L * 1024 * 1024;
        List<String> log = new ArrayList<>();
        ProcessRecorder p = new ProcessRecorder(false).onMade(ProcessTransport::pauseProducing);
        r.callWhenRunning(() -> {
            ProcessTransport t = r.spawnProcess(p, SH, sh("head -c " + total + " /dev/zero"), null, null);
            r.callLater(0.3, () -> {
                // Paused: nothing delivered, and the child cannot have written 8 MiB into a reactor that stopped
                // reading after 32 KiB: it is blocked on its pipe, so it has not exited.
                log.add("delivered " + p.outBytes() + ", exited " + (p.exitedReason() != null));
                t.resumeProducing();
            });
        });
        assertInstanceOf(ProcessDone.class, h.runUntil(p.ended));
        assertEquals(List.of("delivered 0, exited false"), log);
        assertEquals(total, p.outBytes(), "every byte arrives once resumed");
        assertTwistedOrder(p.events());
    }

    @ContractTest
    void environmentAndWorkingDirectoryAreTheGivenOnes(ReactorHarness h) throws Exception {
        Path dir = Files.createTempDirectory("weft-process").toRealPath();
        try {
            ProcessRecorder given = new ProcessRecorder();
            ProcessRecorder inherited = new ProcessRecorder();
            Reactor r = h.reactor();
            r.spawnProcess(given, SH, sh("printf '%s|%s|%s' \"$WEFT_X\" \"$HOME\" \"$(pwd -P)\""),
                    Map.of("WEFT_X", "forty two", "PATH", "/usr/bin:/bin"), dir);
            r.spawnProcess(inherited, SH, sh("printf '%s|%s' \"$WEFT_X\" \"$HOME\""), null, null);
            h.runUntil(DeferredList.gatherResults(List.of(given.ended, inherited.ended)));
            assertEquals("forty two||" + dir, given.out(), "exactly the given environment, in the given directory");
            assertEquals("|" + System.getenv().getOrDefault("HOME", ""), inherited.out(), "null inherits the "
                    + "JVM's environment");
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @ContractTest
    void closeStdoutEndsItsDeliveryAndTheChildStillEnds(ReactorHarness h) throws Exception {
        ProcessRecorder p = new ProcessRecorder().onMade(ProcessTransport::closeStdout);
        h.reactor().spawnProcess(p, SH, sh("head -c 1000000 /dev/zero; printf done >&2"), null, null);
        assertInstanceOf(ProcessDone.class, h.runUntil(p.ended), "the child is not blocked by a closed stdout");
        assertEquals(0, p.outBytes(), "nothing delivered after closeStdout");
        assertEquals("done", p.err());
        assertTwistedOrder(p.events());
    }

    @ContractTest
    void badInputFailsAtTheCallNamingTheArgument(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        ProcessRecorder p = new ProcessRecorder();
        assertTrue(assertThrows(NullPointerException.class, () -> r.spawnProcess(p, null, List.of()))
                .getMessage().contains("executable"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.spawnProcess(p, "", List.of()))
                .getMessage().contains("executable"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> r.spawnProcess(p, "/no/such/weft-program", List.of())).getMessage().contains("executable"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> r.spawnProcess(p, SH, sh("true"), null, Path.of("/no/such/weft-dir"))).getMessage()
                .contains("path"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> r.spawnProcess(p, SH, sh("true"), Map.of("A=B", "c"), null)).getMessage().contains("env"));
        assertEquals(List.of(), p.events(), "a refused spawn calls nothing");
        ProcessRecorder live = new ProcessRecorder();
        ProcessTransport t = r.spawnProcess(live, SH, sh("exec sleep 30"), null, null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.signalProcess("BOGUS")).getMessage()
                .contains("signalName"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.signalProcess("SIGTERM")).getMessage()
                .contains("signalName"));
        assertThrows(IllegalArgumentException.class, () -> t.closeChildFD(3));
        t.signalProcess("KILL");
        assertInstanceOf(ProcessTerminated.class, h.runUntil(live.ended));
        assertThrows(ProcessExitedAlreadyException.class, () -> t.signalProcess("KILL"));
    }

    @ContractTest
    void shutdownLeavesARunningChildRunningAndCallsItsProtocolNoMore(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        ProcessRecorder p = new ProcessRecorder();
        AtomicReference<ProcessTransport> t = new AtomicReference<>();
        r.callWhenRunning(() -> {
            t.set(r.spawnProcess(p, SH, sh("exec sleep 30"), null, null));
            r.callLater(0.05, r::stop);
        });
        h.run();
        long pid = t.get().getPid().getAsLong();
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
        try {
            assertTrue(child.isAlive(), "as in Twisted, the child outlives the reactor");
            assertEquals(List.of("made"), p.events(), "no callback after shutdown");
        } finally {
            child.destroyForcibly();
            child.onExit().get(5, TimeUnit.SECONDS);
        }
    }
}
