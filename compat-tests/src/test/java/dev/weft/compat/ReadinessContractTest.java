package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.compat.harness.TestPipe;
import dev.weft.compat.harness.WatchesChannels;
import dev.weft.compat.net.Net;
import dev.weft.defer.CancelledException;
import dev.weft.defer.Coroutine;
import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredTimeoutException;
import dev.weft.protocol.ConnectionLost;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Readiness;
import dev.weft.task.Task;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;

/** One-shot readiness Deferreds over pipes, on every variant that watches arbitrary channels. */
final class ReadinessContractTest {

    /** Runs {@code body} as a coroutine started on the reactor thread, until it returns (bounded). */
    private static <T> T runBody(ReactorHarness h, Reactor r, Coroutine<T> body) throws Exception {
        Deferred<T> result = new Deferred<>();
        r.callLater(0, () -> Deferred.fromCoroutine(body).chainDeferred(result));
        return h.runUntil(r, result.addTimeout(Net.WAIT_SECONDS, r));
    }

    @ContractTest
    @WatchesChannels
    void aCoroutineReadsAPipeByAwaitingReadableOnceForEachByte(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        List<String> seen = new ArrayList<>();
        byte[] got = runBody(h, r, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16);
            for (int i = 0; i < 3; i++) {
                byte b = (byte) (i + 1);
                r.callLater(0, () -> pipe.write(b));
                Deferred<Pipe.SourceChannel> ready = Readiness.readable(r, pipe.source());
                seen.add("watching " + r.getReaders().size());
                Pipe.SourceChannel ch = ready.await();
                seen.add("ready, watching " + r.getReaders().size());
                buf.clear();
                ch.read(buf);
                out.write(buf.array(), 0, buf.position());
            }
            return out.toByteArray();
        });
        assertArrayEquals(new byte[] {1, 2, 3}, got);
        assertEquals(List.of("watching 1", "ready, watching 0", "watching 1", "ready, watching 0", "watching 1",
                "ready, watching 0"), seen, "one-shot: the watch is removed before the Deferred fires");
    }

    @ContractTest
    @WatchesChannels
    void writableFiresWithTheChannelAndRemovesItsWatch(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        String got = runBody(h, r, () -> {
            Pipe.SinkChannel ch = Readiness.writable(r, pipe.sink()).await();
            int n = ch.write(ByteBuffer.wrap(new byte[] {42}));
            return "wrote " + n + ", watching " + r.getWriters().size();
        });
        assertEquals("wrote 1, watching 0", got);
        assertArrayEquals(new byte[] {42}, pipe.drain());
    }

    @ContractTest
    @WatchesChannels
    void cancellingRemovesTheWatchAndNothingFiresLater(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        List<String> got = runBody(h, r, () -> {
            List<String> out = new ArrayList<>();
            Deferred<Pipe.SourceChannel> d = Readiness.readable(r, pipe.source());
            List<Object> outcomes = new ArrayList<>();
            d.addBoth((ok, failure) -> outcomes.add(failure != null ? failure.getClass().getSimpleName() : ok));
            d.cancel();
            out.add("readers " + r.getReaders().size());
            pipe.write((byte) 1);
            for (int i = 0; i < 5; i++) {
                Task.deferLater(r, 0).await();
            }
            out.add("outcomes " + outcomes);
            return out;
        });
        assertEquals(List.of("readers 0", "outcomes [" + CancelledException.class.getSimpleName() + "]"), got);
    }

    @ContractTest
    @WatchesChannels
    void aReadinessThatNeverComesTimesOutThroughAddTimeout(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        String got = runBody(h, r, () -> {
            try {
                Readiness.readable(r, pipe.source()).addTimeout(0.05, r).await();
                return "readable?";
            } catch (DeferredTimeoutException e) {
                return "timed out, readers " + r.getReaders().size();
            }
        });
        assertEquals("timed out, readers 0", got);
    }

    @ContractTest
    @WatchesChannels
    void readableAndWritableOfOneChannelAreWatchedTogether(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        DatagramChannel channel = h.readWriteChannel(); // always writable, never readable
        String got = runBody(h, r, () -> {
            Deferred<DatagramChannel> readable = Readiness.readable(r, channel);
            DatagramChannel w = Readiness.writable(r, channel).await();
            String state = (w == channel) + ", readers " + r.getReaders().size() + ", writers "
                    + r.getWriters().size() + ", readable fired " + readable.isCalled();
            readable.cancel();
            readable.addErrback(CancelledException.class, e -> null);
            return state + ", after cancel readers " + r.getReaders().size();
        });
        assertEquals("true, readers 1, writers 0, readable fired false, after cancel readers 0", got);
    }

    @ContractTest
    @WatchesChannels
    void shutdownFailsAWaitingReadinessWithConnectionLost(ReactorHarness h) throws Exception {
        Reactor r = h.reactor();
        TestPipe pipe = h.pipe();
        List<Throwable> failures = new ArrayList<>();
        r.callWhenRunning(() -> {
            Readiness.readable(r, pipe.source()).addErrback(e -> {
                failures.add(e);
                return null;
            });
            r.stop();
        });
        h.run();
        assertEquals(1, failures.size(), "failed once: " + failures);
        assertInstanceOf(ConnectionLost.class, failures.get(0));
    }
}
