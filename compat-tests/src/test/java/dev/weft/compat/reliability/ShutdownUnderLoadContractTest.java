package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.BackendVariant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shutdown under load, in a child JVM per variant (heavy; the child is {@link ShutdownUnderLoadChild}): a reactor
 * with 1,000 server connections (and their 1,000 clients on the same reactor), 10,000 pending {@code callLater}
 * calls, a thread pool busy with queued work and shutdown triggers in every phase is stopped. Pinned down:
 * <ul>
 *   <li>the triggers run in order: {@code BEFORE} (the one that returns a Deferred holds the phase until it fires),
 *       {@code DURING}, {@code AFTER}; every connection is still open in the {@code BEFORE} phase;</li>
 *   <li>every connection, on both sides, gets {@code connectionLost} exactly once, before the {@code AFTER} phase;
 *       every client connector gets {@code clientConnectionLost}; no pending timed call runs;</li>
 *   <li>the thread pool runs its queued work to the end and its threads are gone (joined) when {@code run()}
 *       returns;</li>
 *   <li>once {@code run()} returned and the variant released what it made, no non-daemon thread but {@code main}
 *       is left after a join of at most 2 s (the attached variant's Netty group, when it terminates, starts Netty's
 *       non-daemon {@code globalEventExecutor} thread, which ends by itself about a second later; the figures name the
 *       threads that ended during the join), and the JVM exits by itself with status 0 when {@code main} returns.</li>
 * </ul>
 */
final class ShutdownUnderLoadContractTest {
    /** How long the child may take to be loaded (1,000 connections made) after it started. */
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(45);
    /** How long each later step of the child may take. */
    private static final Duration STEP_LIMIT = Duration.ofSeconds(30);
    /** How long the JVM may take to exit once the child said it was done. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(20);

    private static final List<String> TRIGGER_ORDER = List.of("before-1", "before-2", "before-2-deferred", "during",
            "after");

    @HeavyContractTest
    void stopUnderLoadLosesEveryConnectionOnceRunsTheTriggersInOrderJoinsThePoolAndTheJvmExits(BackendVariant v)
            throws Exception {
        int n = ShutdownUnderLoadChild.CONNECTIONS;
        int tasks = ShutdownUnderLoadChild.POOL_TASKS;
        try (ForkedJvm child = ForkedJvm.start("shutdown under load on " + v.name(), 0, List.of(),
                ShutdownUnderLoadChild.class, v.name())) {
            Map<String, String> loaded = child.expect("LOADED", LOAD_LIMIT);
            assertEquals(n, intOf(loaded, "serverConnections"), () -> "before stop: " + loaded);
            assertEquals(n, intOf(loaded, "clientConnections"), () -> "before stop: " + loaded);
            assertTrue(intOf(loaded, "timers") >= ShutdownUnderLoadChild.TIMERS, () -> "pending timed calls "
                    + "before stop: " + loaded);

            List<String> order = new ArrayList<>();
            List<Map<String, String>> triggers = new ArrayList<>();
            for (int i = 0; i < TRIGGER_ORDER.size(); i++) {
                Map<String, String> t = child.expect("TRIGGER", STEP_LIMIT);
                order.add(t.get("name"));
                triggers.add(t);
            }
            String seen = "the triggers as they ran: " + triggers + "\nthe child's output:\n" + child.transcript();
            assertEquals(TRIGGER_ORDER, order, () -> "shutdown triggers must run BEFORE (a Deferred returned by one "
                    + "holds the phase), then DURING, then AFTER; " + seen);
            Map<String, String> before = triggers.get(0);
            Map<String, String> beforeHeld = triggers.get(2);
            Map<String, String> after = triggers.get(4);
            assertEquals(0, intOf(beforeHeld, "serverLost") + intOf(beforeHeld, "clientLost"), () -> "no connection "
                    + "may be lost in the BEFORE phase, even while a BEFORE trigger's Deferred holds it; " + seen);
            assertEquals(0, intOf(before, "tasksFinished"), () -> "the pool's tasks wait for the first BEFORE "
                    + "trigger; " + seen);
            assertEquals(n, intOf(after, "serverLost"), () -> "every server connection must be lost before the "
                    + "AFTER phase; " + seen);
            assertEquals(n, intOf(after, "clientLost"), () -> "every client connection must be lost before the "
                    + "AFTER phase; " + seen);
            assertEquals(tasks, intOf(after, "tasksFinished"), () -> "the thread pool must finish its queued work "
                    + "before the AFTER phase; " + seen);

            Map<String, String> stopped = child.expect("STOPPED", STEP_LIMIT);
            Map<String, String> connections = child.expect("CONNECTIONS", STEP_LIMIT);
            String conn = "connections after run() returned: " + connections;
            assertEquals(n, intOf(connections, "serverLost"), conn);
            assertEquals(n, intOf(connections, "clientLost"), conn);
            assertEquals(0, intOf(connections, "serverLostTwice"), () -> "connectionLost more than once; " + conn);
            assertEquals(0, intOf(connections, "clientLostTwice"), () -> "connectionLost more than once; " + conn);
            assertEquals(n, intOf(connections, "clientConnectionLost"), conn);
            assertEquals(0, intOf(connections, "connectFailed"), conn);
            assertEquals("none", connections.get("problems"), conn);

            Map<String, String> pool = child.expect("POOL", STEP_LIMIT);
            String poolSeen = "the pool after run() returned: " + pool;
            assertTrue(intOf(pool, "threadsSeen") >= 1, poolSeen);
            assertEquals(0, intOf(pool, "threadsAlive"), () -> "the pool's threads must be joined when run() "
                    + "returns; " + poolSeen);
            assertEquals(tasks, intOf(pool, "tasksStarted"), poolSeen);
            assertEquals(tasks, intOf(pool, "tasksFinished"), poolSeen);
            assertEquals(0, intOf(pool, "tasksTimedOut"), poolSeen);
            assertEquals(0, intOf(pool, "timersRan"), () -> "a timed call due in an hour must not run at "
                    + "shutdown; " + poolSeen);

            Map<String, String> threads = child.expect("THREADS", STEP_LIMIT);
            assertEquals(0, intOf(threads, "nonDaemonLeft"), () -> "non-daemon threads other than main left after "
                    + "run() returned and the variant's cleanup: " + threads.get("names") + "; the child's output:\n"
                    + child.transcript());
            child.expect("DONE", STEP_LIMIT);
            int status = child.awaitExit(EXIT_LIMIT);
            long lifetime = child.millisSinceStart();
            assertEquals(0, status, () -> "the child JVM's exit status; its output:\n" + child.transcript());

            Figures.record(v, "shutdown: stop() under load (child JVM)", "%,d server + %,d client connections, "
                    + "%,d timers pending, %d pool tasks on %d threads: stop() to run() returning in %s ms; "
                    + "connectionLost once each (server %s, client %s); triggers %s; pool threads alive %s; "
                    + "non-daemon threads left %s (ended during the bounded join: %s); the JVM exited with 0, %,d ms "
                    + "after it started", (long) n, (long) n, (long) intOf(loaded, "timers"), tasks,
                    ShutdownUnderLoadChild.POOL_THREADS, stopped.get("millis"), connections.get("serverReasons"),
                    connections.get("clientReasons"), String.join(" < ", order), pool.get("threadsAlive"),
                    threads.get("nonDaemonLeft"), threads.get("endedWhileJoined"), lifetime);
        }
    }

    private static int intOf(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new AssertionError("the child's line has no field " + key + ": " + fields);
        }
        return Integer.parseInt(value);
    }
}
