package dev.weft.compat.reliability;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.compat.net.Net;
import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link ShutdownUnderLoadContractTest}: one reactor of the variant named by its argument, loaded,
 * then stopped; what it saw goes to standard output for the parent to check ({@link ChildOut}).
 *
 * <p>The load: a server with {@value #CONNECTIONS} connections from {@value #CONNECTIONS} clients of the same
 * reactor, {@value #TIMERS} {@code callLater} calls due in an hour, and a thread pool of {@value #POOL_THREADS}
 * threads given {@value #POOL_TASKS} tasks that block until the first {@code BEFORE} shutdown trigger releases them,
 * then work for {@value #TASK_MILLIS} ms each (so the pool is still busy when the {@code DURING} phase stops it).
 * Shutdown triggers: two {@code BEFORE} (the second returns a Deferred fired three passes later, which holds the
 * phase), one {@code DURING}, one {@code AFTER}; each prints its name and what it sees then.
 *
 * <p>Lines: {@code LOADED}, {@code TRIGGER name=...} in the order they ran, {@code STOPPED} (the time from
 * {@code stop()} until {@code run()} returned), {@code CONNECTIONS}, {@code POOL}, {@code THREADS} (non-daemon threads
 * other than {@code main} still alive after {@code run()} returned, the variant's cleanup and a bounded join of
 * {@value #THREAD_JOIN_SECONDS} s, and those that ended during that join), then {@code DONE}; after that {@code main}
 * returns and the JVM must exit by itself.
 */
final class ShutdownUnderLoadChild {
    static final int CONNECTIONS = 1_000;
    static final int TIMERS = 10_000;
    static final int POOL_THREADS = 8;
    static final int POOL_TASKS = 2 * POOL_THREADS;
    static final long TASK_MILLIS = 25;
    /** How long the whole child may take before its watchdog prints its threads and halts it. */
    static final Duration LIMIT = Duration.ofSeconds(60);
    /** How long the child waits for each leftover non-daemon thread to end before reporting it. */
    static final long THREAD_JOIN_SECONDS = 2;
    static final Duration THREAD_JOIN = Duration.ofSeconds(THREAD_JOIN_SECONDS);

    private final Reactor reactor;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tasksStarted = new AtomicInteger();
    private final AtomicInteger tasksFinished = new AtomicInteger();
    private final AtomicInteger tasksTimedOut = new AtomicInteger();
    private final int[] serverLost = new int[CONNECTIONS];
    private final int[] clientLost = new int[CONNECTIONS];
    private final Map<String, Integer> serverReasons = new TreeMap<>();
    private final Map<String, Integer> clientReasons = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private int serversBuilt;
    private int clientsBuilt;
    private int serverMade;
    private int clientMade;
    private int clientConnectionLost;
    private int connectFailed;
    private int timersRan;
    private int beforeDeferredPasses;
    private boolean loaded;
    private long stopNanos;

    private ShutdownUnderLoadChild(Reactor reactor) {
        this.reactor = reactor;
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        CountDownLatch finished = new CountDownLatch(1);
        ChildOut.watchdog("the shutdown child on " + name, LIMIT, finished);
        BackendVariant v = ChildOut.variant(name);
        Reactor r = v.create();
        ShutdownUnderLoadChild child = new ShutdownUnderLoadChild(r);
        r.suggestThreadPoolSize(POOL_THREADS);
        r.callWhenRunning(child::load);
        r.run();
        long returned = System.nanoTime();
        v.cleanup(r);
        child.report(returned);
        finished.countDown();
    }

    // ---------------------------------------------------------------- the load (reactor thread)

    private void load() {
        Factory server = new Factory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
                return new Side(true, serversBuilt++);
            }
        };
        int port = reactor.listenTCP(0, server, 1024, Net.LOOPBACK).getHost().getPort();
        ClientFactory clients = new ClientFactory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
                return new Side(false, clientsBuilt++);
            }

            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                connectFailed++;
                problem("clientConnectionFailed: " + reason);
            }

            @Override
            public void clientConnectionLost(Connector connector, Throwable reason) {
                clientConnectionLost++;
            }
        };
        for (int i = 0; i < CONNECTIONS; i++) {
            reactor.connectTCP(Net.LOOPBACK, port, clients);
        }
    }

    /** Called when a connection is made: once every one is, the rest of the load, then stop(). */
    private void madeOne() {
        if (loaded || serverMade < CONNECTIONS || clientMade < CONNECTIONS) {
            return;
        }
        loaded = true;
        for (int i = 0; i < TIMERS; i++) {
            reactor.callLater(3600, () -> timersRan++);
        }
        for (int i = 0; i < POOL_TASKS; i++) {
            reactor.callInThread(this::task);
        }
        reactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            trigger("before-1");
            release.countDown();
        });
        reactor.addSystemEventTrigger(Phase.BEFORE, ReactorCore.SHUTDOWN, () -> {
            trigger("before-2");
            Deferred<Void> d = new Deferred<>();
            passesThen(3, () -> {
                trigger("before-2-deferred");
                d.callback(null);
            });
            return d;
        });
        reactor.addSystemEventTrigger(Phase.DURING, ReactorCore.SHUTDOWN, () -> trigger("during"));
        reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> trigger("after"));
        ChildOut.say("LOADED", "serverConnections", serverMade, "clientConnections", clientMade, "timers",
                reactor.getDelayedCalls().size(), "poolTasks", POOL_TASKS, "poolThreads", POOL_THREADS);
        stopNanos = System.nanoTime();
        reactor.stop();
    }

    private void passesThen(int passes, Runnable then) {
        if (passes <= 0) {
            then.run();
            return;
        }
        beforeDeferredPasses++;
        reactor.callLater(0, () -> passesThen(passes - 1, then));
    }

    private void trigger(String name) {
        ChildOut.say("TRIGGER", "name", name, "serverLost", count(serverLost), "clientLost", count(clientLost),
                "tasksStarted", tasksStarted.get(), "tasksFinished", tasksFinished.get(), "timersRan", timersRan,
                "running", reactor.isRunning());
    }

    private void task() {
        poolThreads.add(Thread.currentThread());
        tasksStarted.incrementAndGet();
        try {
            if (!release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                tasksTimedOut.incrementAndGet();
                return;
            }
            // Work for a while (the work is this sleep): the pool is still busy when shutdown reaches DURING.
            Thread.sleep(TASK_MILLIS);
            tasksFinished.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void problem(String p) {
        if (problems.size() < 10) {
            problems.add(p);
        }
    }

    private static int count(int[] lost) {
        int n = 0;
        for (int l : lost) {
            n += l > 0 ? 1 : 0;
        }
        return n;
    }

    private static int moreThanOnce(int[] lost) {
        int n = 0;
        for (int l : lost) {
            n += l > 1 ? 1 : 0;
        }
        return n;
    }

    /** A connection's protocol, on either side: counts its events. */
    private final class Side extends Protocol {
        private final boolean server;
        private final int index;

        Side(boolean server, int index) {
            this.server = server;
            this.index = index;
        }

        @Override
        public void connectionMade() {
            if (index >= CONNECTIONS) {
                problem((server ? "server" : "client") + " connection " + index + " beyond " + CONNECTIONS);
                return;
            }
            if (server) {
                serverMade++;
            } else {
                clientMade++;
            }
            madeOne();
        }

        @Override
        public void connectionLost(Throwable reason) {
            if (index >= CONNECTIONS) {
                return;
            }
            (server ? serverLost : clientLost)[index]++;
            (server ? serverReasons : clientReasons).merge(reason == null ? "null"
                    : reason.getClass().getSimpleName(), 1, Integer::sum);
        }
    }

    // ---------------------------------------------------------------- after run() returned (main thread)

    private void report(long returned) {
        ChildOut.say("STOPPED", "millis", (returned - stopNanos) / 1_000_000);
        ChildOut.say("CONNECTIONS", "serverMade", serverMade, "clientMade", clientMade,
                "serverLost", count(serverLost), "clientLost", count(clientLost),
                "serverLostTwice", moreThanOnce(serverLost), "clientLostTwice", moreThanOnce(clientLost),
                "serverReasons", serverReasons.toString().replace(", ", ","),
                "clientReasons", clientReasons.toString().replace(", ", ","),
                "clientConnectionLost", clientConnectionLost, "connectFailed", connectFailed,
                "problems", problems.isEmpty() ? "none" : String.join(";", problems));
        long alive = poolThreads.stream().filter(Thread::isAlive).count();
        ChildOut.say("POOL", "threadsSeen", poolThreads.size(), "threadsAlive", alive, "tasksStarted",
                tasksStarted.get(), "tasksFinished", tasksFinished.get(), "tasksTimedOut", tasksTimedOut.get(),
                "timersRan", timersRan, "beforeDeferredPasses", beforeDeferredPasses);
        List<String> left = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        long deadline = System.nanoTime() + THREAD_JOIN.toNanos();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isDaemon() || t == Thread.currentThread() || !t.isAlive()) {
                continue;
            }
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            (t.isAlive() ? left : ended).add(t.getName());
        }
        ChildOut.say("THREADS", "nonDaemonLeft", left.size(), "names", left.isEmpty() ? "none"
                : String.join(",", left), "endedWhileJoined", ended.isEmpty() ? "none" : String.join(",", ended));
        if (!left.isEmpty()) {
            System.out.println(ChildOut.threadDump());
        }
        ChildOut.say("DONE");
    }
}
