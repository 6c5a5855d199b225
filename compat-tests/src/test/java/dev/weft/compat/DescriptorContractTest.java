package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.compat.harness.LogCapture;
import dev.weft.compat.harness.WatchesChannels;
import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.RecordingDescriptor;
import dev.weft.compat.harness.TestPipe;
import dev.weft.protocol.ConnectionLost;
import dev.weft.reactor.FileDescriptor;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Readers and writers over {@link Pipe}s: level-triggered readiness, the descriptor set, errors, shutdown. */
final class DescriptorContractTest {

    @ContractTest
    @WatchesChannels
    void readerIsCalledWhenItsChannelIsReadable(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicReference<Thread> loop = new AtomicReference<>();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            got.write(pipe.drain());
            if (got.size() == 3) {
                r.removeReader(self);
                r.stop();
            }
        });
        r.callWhenRunning(() -> {
            loop.set(Thread.currentThread());
            r.addReader(reader);
            r.callLater(0.01, () -> pipe.write((byte) 1, (byte) 2, (byte) 3));
        });
        h.run();
        assertArrayEquals(new byte[] {1, 2, 3}, got.toByteArray());
        assertTrue(reader.threads().stream().allMatch(t -> t == loop.get()), "doRead ran on the reactor thread");
    }

    @ContractTest
    @WatchesChannels
    void readerThatDoesNotDrainIsCalledAgainInTheNextPass(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 7);
        AtomicInteger passes = new AtomicInteger();
        List<Integer> passOfEachRead = new ArrayList<>();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            passOfEachRead.add(passes.get());
            if (self.reads() == 3) {
                r.removeReader(self);
                r.stop();
            }
        });
        Runnable[] countPasses = new Runnable[1];
        countPasses[0] = () -> {
            passes.incrementAndGet();
            if (r.getReaders().contains(reader)) {
                r.callLater(0, countPasses[0]);
            }
        };
        r.callWhenRunning(() -> {
            r.addReader(reader);
            r.callLater(0, countPasses[0]);
        });
        h.run();
        assertEquals(3, reader.reads());
        assertEquals(3, new java.util.HashSet<>(passOfEachRead).size(),
                "each call came in a pass of its own: " + passOfEachRead);
    }

    @ContractTest
    @WatchesChannels
    void writerIsCalledWhileItsChannelIsWritable(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        RecordingDescriptor writer = new RecordingDescriptor("writer", pipe.sink()).onWrite(self -> {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {(byte) self.writes()}));
            if (self.writes() == 3) {
                r.removeWriter(self);
                r.stop();
            }
        });
        r.callWhenRunning(() -> r.addWriter(writer));
        h.run();
        assertEquals(3, writer.writes());
        assertArrayEquals(new byte[] {1, 2, 3}, pipe.drain());
    }

    @ContractTest
    @WatchesChannels
    void getReadersAndGetWritersFollowAddAndRemove(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source());
        RecordingDescriptor writer = new RecordingDescriptor("writer", pipe.sink());
        assertEquals(List.of(), r.getReaders());
        assertEquals(List.of(), r.getWriters());
        r.addReader(reader);
        r.addWriter(writer);
        assertEquals(List.of(reader), r.getReaders());
        assertEquals(List.of(writer), r.getWriters());
        r.removeReader(reader);
        assertEquals(List.of(), r.getReaders());
        assertEquals(List.of(writer), r.getWriters());
        r.removeWriter(writer);
        assertEquals(List.of(), r.getWriters());
    }

    @ContractTest
    @WatchesChannels
    void addReaderTwiceIsIdempotent(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 1);
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source());
        r.addReader(reader);
        r.addReader(reader);
        assertEquals(List.of(reader), r.getReaders());
        r.removeReader(reader);
        assertEquals(List.of(), r.getReaders(), "one removeReader undoes two addReader calls");
        r.callLater(0.02, r::stop);
        h.run();
        assertEquals(0, reader.reads(), "the removed reader was called");
    }

    @ContractTest
    @WatchesChannels
    void addWriterTwiceIsIdempotent(Reactor r) throws Exception {
        try (TestPipe pipe = TestPipe.open()) {
            RecordingDescriptor writer = new RecordingDescriptor("writer", pipe.sink());
            r.addWriter(writer);
            r.addWriter(writer);
            assertEquals(List.of(writer), r.getWriters());
            r.removeWriter(writer);
            assertEquals(List.of(), r.getWriters());
        }
    }

    @ContractTest
    @WatchesChannels
    void oneDescriptorCanBeReaderAndWriter(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        // Read interest never fires on this channel; the two registrations of one channel must not clobber
        // each other.
        AtomicReference<String> afterRemoveWriter = new AtomicReference<>();
        RecordingDescriptor both = new RecordingDescriptor("both", h.readWriteChannel()).onWrite(self -> {
            if (self.writes() == 2) {
                r.removeWriter(self);
                afterRemoveWriter.set("readers=" + r.getReaders() + " writers=" + r.getWriters());
                r.stop();
            }
        });
        r.callWhenRunning(() -> {
            r.addWriter(both);
            r.addReader(both);
        });
        h.run();
        assertEquals(2, both.writes());
        assertEquals("readers=[both] writers=[]", afterRemoveWriter.get(), "still a reader after removeWriter");
        assertEquals(1, both.lost().size(), "connectionLost once at shutdown: " + both.lost());
    }

    @ContractTest
    @WatchesChannels
    void removeAllReturnsEveryUserDescriptorOnce(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe a = h.pipe();
        RecordingDescriptor reader = new RecordingDescriptor("reader", a.source());
        RecordingDescriptor writer = new RecordingDescriptor("writer", a.sink());
        RecordingDescriptor both = new RecordingDescriptor("both", h.readWriteChannel());
        AtomicReference<List<FileDescriptor>> removed = new AtomicReference<>();
        r.callWhenRunning(() -> {
            r.addReader(reader);
            r.addWriter(writer);
            r.addReader(both);
            r.addWriter(both);
            removed.set(r.removeAll());
            r.stop();
        });
        h.run();
        List<FileDescriptor> list = removed.get();
        Set<FileDescriptor> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(list);
        assertEquals(3, list.size(), "each descriptor once, no internal one: " + list);
        assertEquals(Set.of(reader, writer, both), set);
        assertEquals(List.of(), r.getReaders());
        assertEquals(List.of(), r.getWriters());
        assertEquals(0, writer.writes() + both.writes(), "removed writers were called");
        assertEquals(List.of(), reader.lost(), "removeAll does not call connectionLost");
    }

    @ContractTest
    void removeAllWithNothingWatchedReturnsEmpty(Reactor r) {
        assertEquals(List.of(), r.removeAll());
    }

    @ContractTest
    void removingUnknownDescriptorDoesNothing(Reactor r) throws Exception {
        try (TestPipe pipe = TestPipe.open()) {
            RecordingDescriptor d = new RecordingDescriptor("unknown", pipe.source());
            r.removeReader(d);
            r.removeWriter(d);
            assertEquals(List.of(), r.getReaders());
        }
    }

    @ContractTest
    @WatchesChannels
    void descriptorRemovedByAnotherInTheSamePassIsNotCalledAgain(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe p1 = h.pipe().write((byte) 1);
        TestPipe p2 = h.pipe().write((byte) 2);
        List<String> calledAfterRemoval = new ArrayList<>();
        RecordingDescriptor[] readers = new RecordingDescriptor[2];
        AtomicReference<RecordingDescriptor> removed = new AtomicReference<>();
        RecordingDescriptor.Action action = self -> {
            if (removed.get() == self) {
                calledAfterRemoval.add(self + " (read " + self.reads() + ")");
                return;
            }
            if (removed.get() == null) {
                RecordingDescriptor other = self == readers[0] ? readers[1] : readers[0];
                r.removeReader(other);
                removed.set(other);
            } else if (self.reads() >= 4) {
                r.removeReader(self);
                r.stop();
            }
        };
        readers[0] = new RecordingDescriptor("r1", p1.source()).onRead(action);
        readers[1] = new RecordingDescriptor("r2", p2.source()).onRead(action);
        r.callWhenRunning(() -> {
            r.addReader(readers[0]);
            r.addReader(readers[1]);
        });
        h.run();
        assertEquals(List.of(), calledAfterRemoval);
        assertEquals(List.of(), removed.get().lost(), "no connectionLost for an explicit removal");
    }

    @ContractTest
    @WatchesChannels
    void descriptorRemovedFromATimedCallIsNotCalledAgain(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 1);
        AtomicInteger readsAtRemoval = new AtomicInteger(-1);
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            if (self.reads() == 2) {
                r.callLater(0, () -> {
                    r.removeReader(self);
                    readsAtRemoval.set(self.reads());
                    r.callLater(0.02, r::stop);
                });
            }
        });
        r.callWhenRunning(() -> r.addReader(reader));
        h.run();
        assertTrue(readsAtRemoval.get() >= 2);
        assertEquals(readsAtRemoval.get(), reader.reads(), "reads after removeReader");
    }

    @ContractTest
    @WatchesChannels
    void everyRegisteredDescriptorGetsConnectionLostOnShutdown(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe a = h.pipe();
        TestPipe b = h.pipe();
        List<String> order = new ArrayList<>();
        RecordingDescriptor reader = new RecordingDescriptor("reader", a.source());
        RecordingDescriptor writer = new RecordingDescriptor("writer", a.sink());
        RecordingDescriptor both = new RecordingDescriptor("both", h.readWriteChannel());
        RecordingDescriptor removed = new RecordingDescriptor("removed", b.source());
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN,
                () -> order.add("before: lost " + (reader.lost().size() + writer.lost().size())));
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN,
                () -> order.add("after: lost " + (reader.lost().size() + writer.lost().size())));
        r.callWhenRunning(() -> {
            r.addReader(reader);
            r.addWriter(writer);
            r.addReader(both);
            r.addWriter(both);
            r.addReader(removed);
            r.removeReader(removed);
            r.stop();
        });
        h.run();
        for (RecordingDescriptor d : List.of(reader, writer, both)) {
            assertEquals(1, d.lost().size(), d + " connectionLost calls: " + d.lost());
            assertTrue(d.lost().get(0) instanceof ConnectionLost, d + " reason " + d.lost().get(0));
        }
        assertEquals(List.of(), removed.lost(), "a removed descriptor gets no connectionLost");
        assertEquals(List.of("before: lost 0", "after: lost 2"), order, "connectionLost runs in DURING shutdown");
        assertEquals(List.of(), r.getReaders());
        assertEquals(List.of(), r.getWriters());
    }

    @ContractTest
    @WatchesChannels
    void exceptionFromConnectionLostOnShutdownDoesNotStopTheOthers(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe a = h.pipe();
        List<String> lost = new ArrayList<>();
        dev.weft.reactor.ReadDescriptor bad = new dev.weft.reactor.ReadDescriptor() {
            @Override
            public java.nio.channels.SelectableChannel channel() {
                return a.source();
            }

            @Override
            public void doRead() {
            }

            @Override
            public void connectionLost(Throwable reason) {
                lost.add("bad");
                throw new IllegalStateException("marker-connection-lost-failure");
            }
        };
        RecordingDescriptor good = new RecordingDescriptor("good", a.sink());
        LogCapture logs = h.captureLogs();
        r.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> lost.add("after"));
        r.callWhenRunning(() -> {
            r.addReader(bad);
            r.addWriter(good);
            r.stop();
        });
        h.run();
        assertEquals(1, good.lost().size(), "the other descriptor got connectionLost");
        assertTrue(lost.contains("bad") && lost.contains("after"), String.valueOf(lost));
        assertLoggedOnceAtError(logs, "marker-connection-lost-failure", "connectionLost");
    }

    @ContractTest
    @WatchesChannels
    void doReadThatThrowsEndsOnlyThatDescriptor(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe p1 = h.pipe().write((byte) 1);
        TestPipe p2 = h.pipe().write((byte) 2);
        IllegalStateException boom = new IllegalStateException("marker-doRead-failure");
        LogCapture logs = h.captureLogs();
        RecordingDescriptor failing = new RecordingDescriptor("failing", p1.source()).onRead(self -> {
            throw boom;
        });
        AtomicInteger readsAfterFailure = new AtomicInteger();
        RecordingDescriptor healthy = new RecordingDescriptor("healthy", p2.source()).onRead(self -> {
            if (!failing.lost().isEmpty() && readsAfterFailure.incrementAndGet() == 3) {
                r.removeReader(self);
                r.stop();
            }
        });
        AtomicReference<List<?>> readersAfterFailure = new AtomicReference<>();
        r.callWhenRunning(() -> {
            r.addReader(failing);
            r.addReader(healthy);
        });
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN,
                () -> readersAfterFailure.set(r.getReaders()));
        h.run();
        assertEquals(1, failing.reads(), "the failing reader is not called again");
        assertEquals(1, failing.lost().size(), "connectionLost once");
        assertSame(boom, failing.lost().get(0), "connectionLost gets the exception");
        assertEquals(3, readsAfterFailure.get(), "the other reader kept being called");
        assertEquals(List.of(), readersAfterFailure.get());
        assertLoggedOnceAtError(logs, "marker-doRead-failure", "doRead", "failing");
    }

    @ContractTest
    @WatchesChannels
    void doWriteThatThrowsRemovesTheDescriptorAsReaderAndWriter(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        IllegalStateException boom = new IllegalStateException("marker-doWrite-failure");
        LogCapture logs = h.captureLogs();
        RecordingDescriptor failing = new RecordingDescriptor("failing", h.readWriteChannel()).onWrite(self -> {
            throw boom;
        });
        r.callWhenRunning(() -> {
            r.addReader(failing);
            r.addWriter(failing);
            r.callLater(0.02, r::stop);
        });
        AtomicReference<String> after = new AtomicReference<>();
        r.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN,
                () -> after.set("readers=" + r.getReaders() + " writers=" + r.getWriters()));
        h.run();
        assertEquals(1, failing.writes());
        assertEquals(List.of(boom), failing.lost());
        assertEquals("readers=[] writers=[]", after.get());
        assertLoggedOnceAtError(logs, "marker-doWrite-failure", "doWrite", "failing");
    }

    /**
     * The failure carrying {@code marker} is logged exactly once, at ERROR, with a message that names each of
     * {@code names} (the callback and the descriptor).
     */
    private static void assertLoggedOnceAtError(LogCapture logs, String marker, String... names) {
        assertNotNull(logs.await(LogCapture.mentions(marker), Duration.ofSeconds(5)), "no event carries " + marker);
        List<ILoggingEvent> hits = logs.events().stream().filter(LogCapture.mentions(marker)).toList();
        assertEquals(1, hits.size(), "logged once: " + hits);
        ILoggingEvent e = hits.get(0);
        assertEquals(Level.ERROR, e.getLevel(), e.toString());
        for (String name : names) {
            assertTrue(e.getFormattedMessage().contains(name), "the message names " + name + ": " + e);
        }
    }

    @ContractTest
    @WatchesChannels
    void blockingModeChannelIsRejected(Reactor r) throws Exception {
        Pipe pipe = Pipe.open();
        try {
            RecordingDescriptor reader = new RecordingDescriptor("blocking", pipe.source());
            RecordingDescriptor writer = new RecordingDescriptor("blocking", pipe.sink());
            assertTrue(pipe.source().isBlocking());
            assertThrows(IllegalArgumentException.class, () -> r.addReader(reader));
            assertThrows(IllegalArgumentException.class, () -> r.addWriter(writer));
            assertEquals(List.of(), r.getReaders());
            assertEquals(List.of(), r.getWriters());
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @ContractTest
    @WatchesChannels
    void descriptorWithNullChannelIsRejected(Reactor r) {
        RecordingDescriptor d = new RecordingDescriptor("null channel", null);
        assertThrows(IllegalArgumentException.class, () -> r.addReader(d));
        assertThrows(IllegalArgumentException.class, () -> r.addWriter(d));
    }

    @ContractTest
    @WatchesChannels
    void readerAddedBeforeRunIsCalledOnceRunning(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 9);
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            pipe.drain();
            r.removeReader(self);
            r.stop();
        });
        r.addReader(reader);
        assertFalse(reader.reads() > 0, "called before run()");
        h.run();
        assertEquals(1, reader.reads());
    }

    @ContractTest
    @WatchesChannels
    void readerRemovedAndAddedAgainInOneCallbackKeepsBeingCalled(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 1);
        RecordingDescriptor reader = new RecordingDescriptor("reader", pipe.source()).onRead(self -> {
            if (self.reads() < 3) {
                r.removeReader(self);
                r.addReader(self);
            } else {
                r.removeReader(self);
                r.stop();
            }
        });
        r.callWhenRunning(() -> r.addReader(reader));
        h.run();
        assertEquals(3, reader.reads());
    }

    @ContractTest
    @WatchesChannels
    void readerReplacedByAnotherOnTheSameChannelInOneCallbackIsNotCalledAgain(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe().write((byte) 1);
        RecordingDescriptor second = new RecordingDescriptor("second", pipe.source()).onRead(self -> {
            if (self.reads() == 2) {
                r.removeReader(self);
                r.stop();
            }
        });
        RecordingDescriptor first = new RecordingDescriptor("first", pipe.source()).onRead(self -> {
            r.removeReader(self);
            r.addReader(second);
        });
        r.callWhenRunning(() -> r.addReader(first));
        h.run();
        assertEquals(1, first.reads());
        assertEquals(2, second.reads());
    }
}
