package dev.weft.bench.soak;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.AlreadyCalledException;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Reactor;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * The mixed load of the soak, on one reactor: an echo server on 127.0.0.1 and, against it, client connections that
 * open and close without pause; timers scheduled, delayed, cancelled and fired; {@code callFromThread} from two
 * threads; and {@code deferToThread} tasks. Every callback checks what it can (the echoed bytes, the reason a
 * connection was lost, the thread it runs on, the order of the thread calls, the tasks' results) and records what is
 * wrong as an error.
 *
 * <p>Everything but the two calling threads runs on the reactor thread: {@link #start()}, {@link #drain()} and
 * {@link #snapshot()} are called there (through {@code callFromThread}).
 */
final class SoakLoad {

    /** Client connections in flight at once. */
    static final int SLOTS = 16;
    /** The largest payload a client sends, in bytes. */
    static final int MAX_PAYLOAD = 32 * 1024;
    /** A connection not finished after this many seconds is an error (and is aborted). */
    static final double STALL_SECONDS = 10;
    /** Seconds between two passes of the timer driver. */
    static final double TICK_SECONDS = 0.005;
    /** Timers scheduled per pass of the driver, with delays of up to {@link #MAX_TIMER_DELAY} seconds. */
    static final int TIMERS_PER_TICK = 20;
    /** The longest timer delay, in seconds. */
    static final double MAX_TIMER_DELAY = 0.05;
    /** Timers of the pending set that each pass considers cancelling or delaying. */
    static final int TOUCHES_PER_TICK = 8;
    /** {@code deferToThread} tasks in flight at once. */
    static final int TASKS_IN_FLIGHT = 4;
    /** Seconds between a task's end and the start of the next in its place. */
    static final double TASK_GAP_SECONDS = 0.002;
    /** Every this many tasks, one throws (and its failure must come back). */
    static final int FAIL_EVERY = 10;
    /** Calls each calling thread makes in a burst, then it pauses {@link #CALLER_PAUSE_NANOS}. */
    static final int CALLER_BURST = 100;
    /** The pause between bursts of a calling thread. */
    static final long CALLER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** The calls a calling thread may have made and not seen run; it waits (at most 5 s) beyond that. */
    static final int CALLER_OUTSTANDING = 2_000;
    /** The errors kept with their text; the others are only counted. */
    static final int KEPT_ERRORS = 20;

    /**
     * How a client ends its connection: {@code loseConnection} once its bytes came back, or {@code abortConnection}
     * once they came back, once part of them came back, or right after writing them.
     */
    private enum Mode { CLEAN, ABORT_AFTER_ECHO, ABORT_MIDWAY, ABORT_AT_ONCE }

    private final Reactor reactor;
    private final SplittableRandom random;
    /** The bytes clients send: slices of this. */
    private final byte[] pattern = new byte[3 * MAX_PAYLOAD];
    /** The CRC32 of each task's slice of {@link #pattern}, computed before the load. */
    private final long[] taskCrcs = new long[16];
    private final SoakCounts counts = new SoakCounts();
    private final List<Timer> pending = new ArrayList<>();
    private final ArrayDeque<DelayedCall> recentlyFired = new ArrayDeque<>();
    private final Caller[] callers = {new Caller(1), new Caller(2)};
    private final Object errorLock = new Object();
    private final List<String> errors = new ArrayList<>();
    private long errorCount;

    /** Fires once the load has stopped and everything in flight has finished, after {@link #drain()}. */
    final CountDownLatch drained = new CountDownLatch(1);

    private ListeningPort port;
    private Thread reactorThread;
    private boolean draining;
    private boolean callersStopped;
    private int activeClients;
    private int tasksInFlight;
    private int taskRestartsPending;
    private DelayedCall tick;

    /**
     * A load on {@code reactor}.
     *
     * @param reactor the reactor, not running yet
     * @param seed    the seed of every random choice of the reactor thread
     */
    SoakLoad(Reactor reactor, long seed) {
        this.reactor = reactor;
        this.random = new SplittableRandom(seed);
        new SplittableRandom(seed ^ 0x5EEDL).nextBytes(pattern);
        for (int i = 0; i < taskCrcs.length; i++) {
            taskCrcs[i] = crc(i);
        }
    }

    /**
     * Listens with the echo server on a free port of 127.0.0.1; before the reactor runs.
     *
     * @return the port
     */
    int listen() {
        port = reactor.listenTCP(0, new EchoFactory(), 1024, "127.0.0.1");
        return port.getHost().getPort();
    }

    /** Starts the clients, the timer driver and the tasks. Reactor thread. */
    void start() {
        reactorThread = Thread.currentThread();
        for (int i = 0; i < SLOTS; i++) {
            launchClient();
        }
        tick = reactor.callLater(TICK_SECONDS, this::timerTick);
        for (int i = 0; i < TASKS_IN_FLIGHT; i++) {
            launchTask();
        }
    }

    /** Starts the two threads that call {@code callFromThread}. Any thread, after {@link #start()} was asked for. */
    void startCallers() {
        for (Caller c : callers) {
            c.start();
        }
    }

    /**
     * Stops the calling threads and waits for them to end.
     *
     * @param seconds the longest wait for each
     * @throws InterruptedException if interrupted while waiting
     */
    void stopCallers(long seconds) throws InterruptedException {
        for (Caller c : callers) {
            c.stopping = true;
        }
        for (Caller c : callers) {
            c.join(TimeUnit.SECONDS.toMillis(seconds));
            if (c.isAlive()) {
                error("calling thread " + c.id + " did not stop within " + seconds + " s");
            }
        }
        reactor.callFromThread(() -> {
            callersStopped = true;
            counts.threadCallsMade = callers[0].made.get() + callers[1].made.get();
            maybeDrained();
        });
    }

    /** Stops starting new work; {@link #drained} fires once the work in flight has finished. Reactor thread. */
    void drain() {
        draining = true;
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        maybeDrained();
    }

    /**
     * What has not finished yet, for the report of a drain that timed out. Reactor thread.
     *
     * @return a description
     */
    String unfinished() {
        return String.format("%d clients, %d server connections, %d timers, %d tasks (+%d to restart), %d of %d "
                + "thread calls not run, callers stopped: %s", activeClients, counts.serverMade - counts.serverLost,
                pending.size(), tasksInFlight, taskRestartsPending, counts.threadCallsMade - counts.threadCallsRun,
                counts.threadCallsMade, callersStopped);
    }

    /**
     * A copy of the counts. Reactor thread.
     *
     * @return the counts now
     */
    SoakCounts snapshot() {
        SoakCounts c = counts.copy();
        if (!callersStopped) {
            c.threadCallsMade = callers[0].made.get() + callers[1].made.get();
        }
        return c;
    }

    /**
     * The reactor's bookkeeping now. Reactor thread (or while it does not run).
     *
     * @return the open resources (-1 if the reactor does not tell), readers, writers and pending delayed calls
     */
    SoakReport.Resources resources() {
        int open = reactor.openResourceCount();
        return new SoakReport.Resources(open, reactor.getReaders().size(), reactor.getWriters().size(),
                reactor.getDelayedCalls().size());
    }

    /**
     * How many errors were recorded.
     *
     * @return the count
     */
    long errorCount() {
        synchronized (errorLock) {
            return errorCount;
        }
    }

    /**
     * The first errors recorded, with their text.
     *
     * @return at most {@value #KEPT_ERRORS}
     */
    List<String> errors() {
        synchronized (errorLock) {
            return new ArrayList<>(errors);
        }
    }

    /** Records something that went wrong. Any thread. */
    void error(String what) {
        synchronized (errorLock) {
            errorCount++;
            if (errors.size() < KEPT_ERRORS) {
                errors.add(what);
            }
        }
    }

    private void onReactorThread(String what) {
        if (Thread.currentThread() != reactorThread) {
            error(what + " ran on thread " + Thread.currentThread().getName() + ", not the reactor's");
        }
    }

    private void maybeDrained() {
        if (draining && callersStopped && activeClients == 0 && counts.serverMade == counts.serverLost
                && pending.isEmpty() && tick == null && tasksInFlight == 0 && taskRestartsPending == 0
                && counts.threadCallsRun == counts.threadCallsMade) {
            drained.countDown();
        }
    }

    // ------------------------------------------------------------------------------------------------ connections

    private void launchClient() {
        if (draining) {
            return;
        }
        counts.connectAttempts++;
        activeClients++;
        Client client = new Client();
        reactor.connectTCP("127.0.0.1", port.getHost().getPort(), new ClientFactory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
                client.setFactory(this);
                return client;
            }

            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                counts.connectFailed++;
                activeClients--;
                error("a client could not connect: " + reason);
                launchClient();
                maybeDrained();
            }
        }, STALL_SECONDS, null);
    }

    /** One client connection: writes a slice of the pattern, checks the echo, then closes or aborts. */
    private final class Client extends Protocol {
        private final Mode mode;
        private final int offset;
        private final int length;
        private final int abortAt;
        private int received;
        private boolean closed;
        private boolean aborted;
        private DelayedCall watchdog;

        Client() {
            int m = random.nextInt(100);
            mode = m < 45 ? Mode.CLEAN : m < 70 ? Mode.ABORT_AFTER_ECHO : m < 90 ? Mode.ABORT_MIDWAY
                    : Mode.ABORT_AT_ONCE;
            offset = random.nextInt(2 * MAX_PAYLOAD);
            length = 1 + random.nextInt(MAX_PAYLOAD);
            abortAt = length > 1 ? 1 + random.nextInt(length - 1) : length;
        }

        @Override
        public void connectionMade() {
            onReactorThread("connectionMade of a client");
            counts.connected++;
            watchdog = reactor.callLater(STALL_SECONDS, () -> {
                watchdog = null;
                error("a client connection (" + mode + ", " + length + " bytes) stalled after " + received
                        + " bytes came back");
                abort();
            });
            int pieces = 1 + random.nextInt(4);
            int from = 0;
            for (int i = 0; i < pieces && from < length; i++) {
                int to = i == pieces - 1 ? length : from + random.nextInt(length - from + 1);
                if (to > from) {
                    transport.write(Arrays.copyOfRange(pattern, offset + from, offset + to));
                    from = to;
                }
            }
            if (from < length) {
                transport.write(Arrays.copyOfRange(pattern, offset + from, offset + length));
            }
            counts.bytesSent += length;
            if (mode == Mode.ABORT_AT_ONCE) {
                counts.abortsAtOnce++;
                abort();
            }
        }

        @Override
        public void dataReceived(byte[] data) {
            if (closed || aborted) {
                return;
            }
            if (received + data.length > length
                    || !Arrays.equals(data, 0, data.length, pattern, offset + received, offset + received
                    + data.length)) {
                error("a client got back other bytes than it sent, at " + received + " of " + length);
                abort();
                return;
            }
            received += data.length;
            counts.bytesVerified += data.length;
            if (mode == Mode.ABORT_MIDWAY && received >= abortAt && received < length) {
                counts.abortsMidway++;
                abort();
            } else if (received == length) {
                if (mode == Mode.CLEAN) {
                    counts.cleanCloses++;
                    closed = true;
                    transport.loseConnection();
                } else {
                    if (mode == Mode.ABORT_MIDWAY) {
                        counts.abortsMidway++;
                    } else {
                        counts.abortsAfterEcho++;
                    }
                    abort();
                }
            }
        }

        private void abort() {
            if (!aborted && !closed) {
                aborted = true;
                transport.abortConnection();
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            onReactorThread("connectionLost of a client");
            counts.clientLost++;
            activeClients--;
            if (watchdog != null) {
                watchdog.cancel();
                watchdog = null;
            }
            if (closed && !(reason instanceof ConnectionDone)) {
                error("a client that closed cleanly lost its connection with " + reason);
            } else if (aborted && !(reason instanceof ConnectionAborted)) {
                error("a client that aborted lost its connection with " + reason);
            } else if (!closed && !aborted) {
                error("a client lost its connection before it closed it, after " + received + " of " + length
                        + " bytes: " + reason);
            }
            launchClient();
            maybeDrained();
        }
    }

    /** The echo server's factory. */
    private final class EchoFactory extends Factory {
        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            Protocol p = new Echo();
            p.setFactory(this);
            return p;
        }
    }

    /** Twisted's echo protocol, counting. */
    private final class Echo extends Protocol {
        @Override
        public void connectionMade() {
            onReactorThread("connectionMade of the server");
            counts.serverMade++;
        }

        @Override
        public void dataReceived(byte[] data) {
            counts.serverBytes += data.length;
            transport.write(data);
        }

        @Override
        public void connectionLost(Throwable reason) {
            onReactorThread("connectionLost of the server");
            counts.serverLost++;
            counts.serverReasons.merge(reason.getClass().getSimpleName(), 1L, Long::sum);
            if (!(reason instanceof ConnectionDone || reason instanceof ConnectionLost)
                    || reason instanceof ConnectionAborted) {
                error("the server lost a connection with " + reason);
            }
            maybeDrained();
        }
    }

    // ----------------------------------------------------------------------------------------------------- timers

    /** A timer of the driver; its index in {@link #pending} lets it leave the set in constant time. */
    private final class Timer implements Runnable {
        DelayedCall call;
        int index;

        @Override
        public void run() {
            onReactorThread("a timer");
            counts.timersFired++;
            remove(this);
            recentlyFired.add(call);
            if (recentlyFired.size() > 64) {
                recentlyFired.poll();
            }
            maybeDrained();
        }
    }

    private void remove(Timer t) {
        Timer last = pending.remove(pending.size() - 1);
        if (last != t) {
            pending.set(t.index, last);
            last.index = t.index;
        }
        t.index = -1;
    }

    private void timerTick() {
        tick = null;
        if (draining) {
            maybeDrained();
            return;
        }
        for (int i = 0; i < TIMERS_PER_TICK; i++) {
            Timer t = new Timer();
            t.index = pending.size();
            pending.add(t);
            t.call = reactor.callLater(random.nextDouble() * MAX_TIMER_DELAY, t);
            counts.timersScheduled++;
        }
        for (int i = 0; i < TOUCHES_PER_TICK && !pending.isEmpty(); i++) {
            Timer t = pending.get(random.nextInt(pending.size()));
            int choice = random.nextInt(10);
            if (choice < 5) {
                t.call.cancel();
                counts.timersCancelled++;
                remove(t);
            } else if (choice < 7) {
                t.call.delay(random.nextDouble() * 0.01);
                counts.timersDelayed++;
            }
        }
        if (!recentlyFired.isEmpty() && random.nextInt(4) == 0) {
            DelayedCall done = recentlyFired.poll();
            try {
                done.cancel();
                error("cancel() of a timer that had run did not raise AlreadyCalledException");
            } catch (AlreadyCalledException expected) {
                counts.lateCancelsRefused++;
            }
        }
        tick = reactor.callLater(TICK_SECONDS, this::timerTick);
    }

    // ------------------------------------------------------------------------------------------------------ tasks

    private long crc(int slice) {
        CRC32 crc = new CRC32();
        crc.update(pattern, slice * 1024, 4096);
        return crc.getValue();
    }

    /** Thrown by the tasks made to fail. */
    private static final class ExpectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExpectedFailure() {
            super("a task made to fail", null, false, false);
        }
    }

    private void launchTask() {
        if (draining) {
            return;
        }
        long n = ++counts.deferStarted;
        int slice = (int) (n % taskCrcs.length);
        boolean fail = n % FAIL_EVERY == 0;
        tasksInFlight++;
        Deferred<Long> d = reactor.deferToThread(() -> {
            if (fail) {
                throw new ExpectedFailure();
            }
            return crc(slice);
        });
        d.addBoth((result, failure) -> {
            onReactorThread("a deferToThread result");
            tasksInFlight--;
            if (failure != null) {
                if (fail && failure instanceof ExpectedFailure) {
                    counts.deferFailedAsExpected++;
                } else {
                    error("a deferToThread task failed: " + failure);
                }
            } else if (fail) {
                error("a deferToThread task made to fail succeeded");
            } else if (result != taskCrcs[slice]) {
                error("a deferToThread task returned " + result + ", not " + taskCrcs[slice]);
            } else {
                counts.deferSucceeded++;
            }
            if (!draining) {
                taskRestartsPending++;
                reactor.callLater(TASK_GAP_SECONDS, () -> {
                    taskRestartsPending--;
                    launchTask();
                    maybeDrained();
                });
            }
            maybeDrained();
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------ calling threads

    private void threadCallRan(Caller caller, long seq) {
        onReactorThread("a callFromThread call");
        if (seq != caller.next) {
            error("thread " + caller.id + ": call " + seq + " ran when " + caller.next + " was due");
        }
        caller.next = seq + 1;
        counts.threadCallsRun++;
        caller.permits.release();
        maybeDrained();
    }

    /** A thread that calls {@code callFromThread} in paced bursts, each call carrying its sequence number. */
    private final class Caller extends Thread {
        final int id;
        final Semaphore permits = new Semaphore(CALLER_OUTSTANDING);
        final AtomicLong made = new AtomicLong();
        volatile boolean stopping;
        /** The sequence number due next; reactor thread only. */
        long next;

        Caller(int id) {
            super("soak-caller-" + id);
            this.id = id;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seq = 0;
            try {
                while (!stopping) {
                    for (int i = 0; i < CALLER_BURST && !stopping; i++) {
                        if (!permits.tryAcquire(5, TimeUnit.SECONDS)) {
                            error("thread " + id + ": " + CALLER_OUTSTANDING + " callFromThread calls not run for"
                                    + " 5 s");
                            return;
                        }
                        long s = seq++;
                        made.incrementAndGet();
                        reactor.callFromThread(() -> threadCallRan(this, s));
                    }
                    LockSupport.parkNanos(CALLER_PAUSE_NANOS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                error("thread " + id + ": callFromThread threw " + e);
            }
        }
    }
}
