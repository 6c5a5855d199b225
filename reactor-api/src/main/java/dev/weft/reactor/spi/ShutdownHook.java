package dev.weft.reactor.spi;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JVM shutdown hook of one {@code run()}: on Ctrl-C (or any JVM shutdown) it asks the reactor to stop, then
 * waits (at most 30 s) for {@code run()} to return, so the shutdown triggers run. Installed and removed on the thread
 * that calls {@code run()}; the hook runs on a thread of its own.
 */
final class ShutdownHook {
    private static final long WAIT_SECONDS = 30;

    private final CountDownLatch exited = new CountDownLatch(1);
    private final Thread thread;

    private ShutdownHook(ReactorBase reactor, Lifecycle lifecycle) {
        this.thread = new Thread(() -> {
            reactor.callFromThread(() -> {
                if (lifecycle.mayStop()) {
                    reactor.stop();
                }
            });
            try {
                if (!exited.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    ReactorBase.LOG.warn("the {} reactor did not shut down within {} s of the JVM's shutdown",
                            reactor.backendName(), WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "weft-shutdown-hook[" + reactor.backendName() + "]");
    }

    /**
     * Installs a hook for a run that begins now.
     *
     * @param reactor   the reactor
     * @param lifecycle its lifecycle
     * @return the hook, to {@link #remove()} when {@code run()} returns
     */
    static ShutdownHook install(ReactorBase reactor, Lifecycle lifecycle) {
        ShutdownHook hook = new ShutdownHook(reactor, lifecycle);
        try {
            Runtime.getRuntime().addShutdownHook(hook.thread);
        } catch (IllegalStateException jvmShuttingDown) {
            // too late to add one: nothing to remove later
        }
        return hook;
    }

    /** {@code run()} returned: the hook, if it runs, stops waiting; it is removed unless the JVM is shutting down. */
    void remove() {
        exited.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException jvmShuttingDown) {
            // the hook is running or will; nothing to undo
        }
    }
}
