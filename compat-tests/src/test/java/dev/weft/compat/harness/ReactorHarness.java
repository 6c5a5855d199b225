package dev.weft.compat.harness;

import dev.weft.defer.Deferred;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * What a contract test gets: the reactors of one {@link BackendVariant}, bounded ways to run them, and test
 * resources (pipes, log capture) that are released after the test.
 *
 * <p>{@link #close()} is the guard: it fails the test if a reactor is still running (a {@link LoopThread} still
 * alive, or a loop that still answers {@code callFromThread}), crashes that reactor, and cleans up every
 * reactor the test created, so later tests are unaffected.
 */
public final class ReactorHarness implements AutoCloseable {
    /** How long {@link #run(Reactor)} and {@link #runUntil(Reactor, Deferred)} may block. */
    public static final Duration RUN_TIMEOUT = Duration.ofSeconds(5);

    /** How long the guard waits for a reactor that claims to be running to answer a probe. */
    private static final Duration PROBE = Duration.ofMillis(200);

    private final BackendVariant variant;
    private final String testName;
    private final List<Reactor> reactors = new ArrayList<>();
    private final List<LoopThread> loops = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ReactorGroup> groups = new ArrayList<>();
    private final List<GroupThread> groupThreads = new ArrayList<>();
    private Reactor reactor;

    /**
     * Creates a harness.
     *
     * @param variant  the variant under test
     * @param testName the test's display name, for messages and thread names
     */
    public ReactorHarness(BackendVariant variant, String testName) {
        this.variant = variant;
        this.testName = testName;
    }

    /**
     * The variant under test.
     *
     * @return the variant
     */
    public BackendVariant variant() {
        return variant;
    }

    /**
     * The test's default reactor, created on first use.
     *
     * @return the reactor
     */
    public Reactor reactor() {
        if (reactor == null) {
            reactor = newReactor();
        }
        return reactor;
    }

    /**
     * Creates another reactor of the variant (e.g. after setting a system property it reads), tracked and cleaned
     * up like the default one.
     *
     * @return a new reactor, not running
     */
    public Reactor newReactor() {
        Reactor r = variant.create();
        reactors.add(r);
        return r;
    }

    /**
     * Creates another reactor of the variant with the system property {@code key} set to {@code value} while it is
     * made (the reactor reads its configuration then), the property restored after.
     *
     * @param key   the property, e.g. {@code weft.blocked.threshold.ms}
     * @param value its value for this reactor
     * @return a new reactor, not running
     */
    public Reactor newReactorWith(String key, String value) {
        return withProperty(key, value, this::newReactor);
    }

    /**
     * Creates a reactor group of the variant with the system property {@code key} set to {@code value} while it is
     * made (its members read their configuration then), the property restored after; tracked and cleaned up as
     * {@link #newGroup(int)}'s.
     *
     * @param size  how many members
     * @param key   the property, e.g. {@code weft.group.tcp}
     * @param value its value for this group
     * @return a new group, not running
     */
    public ReactorGroup newGroupWith(int size, String key, String value) {
        return withProperty(key, value, () -> newGroup(size));
    }

    /** Makes something with the system property {@code key} set to {@code value}, restored after. */
    private static <T> T withProperty(String key, String value, Supplier<T> make) {
        String old = System.getProperty(key);
        try {
            System.setProperty(key, value);
            return make.get();
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }

    /**
     * Creates a reactor group of the variant ({@link BackendVariant#createGroup(int)}), tracked and cleaned up.
     *
     * @param size how many members
     * @return a new group, not running
     */
    public ReactorGroup newGroup(int size) {
        ReactorGroup g = variant.createGroup(size);
        groups.add(g);
        return g;
    }

    /**
     * Runs {@code group} on a background thread; the guard fails the test if it is still running at the end.
     *
     * @param group a group of this harness
     * @return the thread's handle
     */
    public GroupThread startGroup(ReactorGroup group) {
        GroupThread t = new GroupThread(group, "group-" + testName);
        groupThreads.add(t);
        t.start();
        return t;
    }

    /** Runs the default reactor on this thread; see {@link #run(Reactor)}. */
    public void run() {
        run(reactor());
    }

    /**
     * Calls {@code r.run()} on this thread under a {@link Watchdog}: if it has not returned within
     * {@link #RUN_TIMEOUT}, the reactor is crashed and the test fails.
     *
     * @param r the reactor
     */
    public void run(Reactor r) {
        Watchdog.guard(r, RUN_TIMEOUT, "run() on " + variant.name(), r::run);
    }

    /**
     * Calls {@code runUntil(d)} on the default reactor under a watchdog.
     *
     * @param d   the Deferred
     * @param <T> its result type
     * @return its result
     * @throws Exception its failure
     */
    public <T> T runUntil(Deferred<T> d) throws Exception {
        return runUntil(reactor(), d);
    }

    /**
     * Calls {@code r.runUntil(d)} on this thread under a watchdog.
     *
     * @param r   the reactor
     * @param d   the Deferred
     * @param <T> its result type
     * @return its result
     * @throws Exception its failure
     */
    public <T> T runUntil(Reactor r, Deferred<T> d) throws Exception {
        return Watchdog.guard(r, RUN_TIMEOUT, "runUntil() on " + variant.name(), () -> r.runUntil(d));
    }

    /**
     * Calls {@code r.iterate(delaySeconds)} on this thread under a watchdog of {@code timeout}.
     *
     * @param r            the reactor
     * @param delaySeconds the argument
     * @param timeout      how long it may take
     */
    public void iterate(Reactor r, double delaySeconds, Duration timeout) {
        Watchdog.guard(r, timeout, "iterate(" + delaySeconds + ") on " + variant.name(),
                () -> r.iterate(delaySeconds));
    }

    /**
     * Runs {@code r} on a new background thread; the guard fails the test if it is still running afterwards.
     *
     * @param r the reactor
     * @return the running loop
     */
    public LoopThread startInBackground(Reactor r) {
        LoopThread loop = new LoopThread(r, "reactor " + testName);
        loops.add(loop);
        loop.start();
        return loop;
    }

    /**
     * A non-blocking pipe, closed after the test.
     *
     * @return the pipe
     * @throws IOException if it cannot be opened
     */
    public TestPipe pipe() throws IOException {
        TestPipe p = TestPipe.open();
        resources.add(p);
        return p;
    }

    /**
     * A channel that can be watched for reading and writing at once (a pipe end supports only one of the two):
     * an unbound, unconnected, non-blocking {@link java.nio.channels.DatagramChannel}. It is always writable and
     * never readable, and sends nothing anywhere. Closed after the test.
     *
     * @return the channel
     * @throws IOException if it cannot be opened
     */
    public java.nio.channels.DatagramChannel readWriteChannel() throws IOException {
        java.nio.channels.DatagramChannel c = java.nio.channels.DatagramChannel.open();
        resources.add(c);
        c.configureBlocking(false);
        return c;
    }

    /**
     * Starts capturing log events (of every logger), stopped after the test.
     *
     * @return the capture
     */
    public LogCapture captureLogs() {
        LogCapture c = LogCapture.start();
        resources.add(c);
        return c;
    }

    /**
     * The guard: fails if a reactor of this test is still running, after crashing it; then releases everything.
     */
    @Override
    public void close() {
        List<String> leaks = new ArrayList<>();
        for (LoopThread loop : loops) {
            if (loop.isAlive()) {
                leaks.add("run() still executing on thread '" + loop.thread().getName() + "'");
                crash(loop.reactor());
                if (!loop.join(Watchdog.GRACE)) {
                    loop.thread().interrupt();
                    loop.join(Watchdog.GRACE);
                }
            }
        }
        for (GroupThread g : groupThreads) {
            if (g.isAlive()) {
                leaks.add("the group's run() still executing on thread '" + g.thread() + "'");
                try {
                    g.group().stop();
                } catch (RuntimeException e) {
                    // stopping already
                }
                if (!g.join(Watchdog.GRACE)) {
                    g.interruptRun();
                    g.join(Watchdog.GRACE);
                }
            }
        }
        for (Reactor r : reactors) {
            if (loops.stream().noneMatch(l -> l.reactor() == r) && answersProbe(r)) {
                leaks.add("reactor " + r + " still runs its loop (it answered callFromThread)");
                crash(r);
            }
        }
        List<Throwable> cleanupErrors = new ArrayList<>();
        for (Reactor r : reactors) {
            try {
                variant.cleanup(r);
            } catch (RuntimeException e) {
                cleanupErrors.add(e);
            }
        }
        for (ReactorGroup g : groups) {
            try {
                variant.cleanupGroup(g);
            } catch (RuntimeException e) {
                cleanupErrors.add(e);
            }
        }
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                cleanupErrors.add(e);
            }
        }
        if (!leaks.isEmpty()) {
            AssertionError e = new AssertionError("the test left a reactor running on " + variant.name()
                    + " (crashed by the guard): " + String.join("; ", leaks));
            cleanupErrors.forEach(e::addSuppressed);
            throw e;
        }
        if (!cleanupErrors.isEmpty()) {
            AssertionError e = new AssertionError("cleanup failed on " + variant.name());
            cleanupErrors.forEach(e::addSuppressed);
            throw e;
        }
    }

    private static boolean answersProbe(Reactor r) {
        try {
            if (!r.isRunning()) {
                return false;
            }
            CountDownLatch probe = new CountDownLatch(1);
            r.callFromThread(probe::countDown);
            return Await.latchWithin(probe, PROBE);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void crash(Reactor r) {
        try {
            r.callFromThread(r::crash);
        } catch (RuntimeException e) {
            // The join that follows reports what remains.
        }
    }
}
