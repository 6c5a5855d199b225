package dev.weft.compat.group;

import dev.weft.compat.harness.BackendVariant;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.Reactors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A member of a running reactor group: {@link #create()} makes a group of two with
 * {@link Reactors#createGroup(String, int)}, runs member 1 on a thread of its own, and gives the test member 0, which
 * the test runs as it runs any reactor. The contract of a single reactor must hold for a member while its sibling
 * runs beside it (members share no state on their loop path). {@link #cleanup} stops member 1 and waits for it.
 *
 * <p>Named {@code <backend>-in-group}; its reactors report the backend's default name.
 */
final class GroupMemberVariant implements BackendVariant {

    private static final Duration SIBLING_STOP = Duration.ofSeconds(5);

    private final String backend;
    private final String backendName;
    private final Map<Reactor, Sibling> siblings = new ConcurrentHashMap<>();

    GroupMemberVariant(String backend, String backendName) {
        this.backend = backend;
        this.backendName = backendName;
    }

    @Override
    public String name() {
        return backend + "-in-group";
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    /**
     * No: the heavy tests load one reactor's loop (threads, churn, descriptor exhaustion, shutdown under load), which
     * the plain variant of the backend covers; a sibling member running beside it adds nothing they check, and the
     * heavy run would take two more variants' time per JDK.
     */
    @Override
    public boolean runsHeavyTests() {
        return false;
    }

    @Override
    public Reactor create() {
        ReactorGroup group = Reactors.createGroup(backend, 2);
        Sibling sibling = new Sibling(group.member(1));
        sibling.start();
        Reactor r = group.member(0);
        siblings.put(r, sibling);
        return r;
    }

    @Override
    public void cleanup(Reactor reactor) {
        Sibling s = siblings.remove(reactor);
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public String toString() {
        return name();
    }

    /** Member 1, run on its own thread for the length of a test. */
    private static final class Sibling {
        private final Reactor reactor;
        private final Thread thread;
        private final CountDownLatch running = new CountDownLatch(1);

        Sibling(Reactor reactor) {
            this.reactor = reactor;
            reactor.callWhenRunning(running::countDown);
            this.thread = new Thread(reactor::run, "weft-test-sibling");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
            try {
                if (!running.await(SIBLING_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the sibling member did not start within " + SIBLING_STOP);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while starting the sibling member", e);
            }
        }

        void stop() {
            reactor.callFromThread(reactor::stop);
            try {
                thread.join(SIBLING_STOP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                reactor.callFromThread(reactor::crash);
                throw new AssertionError("the sibling member did not stop within " + SIBLING_STOP);
            }
        }
    }
}
