package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.process.ProcessProtocol;
import dev.weft.process.ProcessTransport;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.FileDescriptor;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.SystemEventTrigger;
import dev.weft.reactor.TriggerId;
import dev.weft.reactor.WriteDescriptor;
import dev.weft.reactor.internal.DelayedCallQueue;
import dev.weft.reactor.internal.Loggers;
import dev.weft.reactor.internal.StandIn;
import dev.weft.reactor.internal.VirtualThreads;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;

/**
 * The reactor contract, written once, as a facade over the pieces that hold it: the {@code Lifecycle} (one
 * {@code LifecycleState}), the {@link LoopPass} (thread calls, DelayedCalls, the blocked-loop detector), the
 * {@link LoopDriver} that strings passes together, the {@link DescriptorSet} of watched descriptors, the
 * {@code OpenResources} that shutdown closes, the system event triggers, the thread pool and the
 * {@code BlockingCalls}. The networking entry points sit one layer up, in {@link NetworkReactorBase}, which backends
 * extend.
 *
 * <p>A backend supplies exactly these hooks:
 * <ul>
 *   <li>how its loop is driven, given to the constructor: an {@link IoPoller} (how to wait for I/O and wake that
 *       wait, on the reactor thread; the wake-up from any thread) for a loop that polls by itself, or a
 *       {@link HostedLoop} for passes a host loop runs;</li>
 *   <li>{@link #interestChanged(Interest)}: how to watch a channel for its descriptors, on the reactor thread;</li>
 *   <li>{@link #onShutdown()}, optional: how to release what it holds once shutdown is done, on the reactor
 *       thread;</li>
 *   <li>its ports and connectors ({@link NetworkReactorBase}).</li>
 * </ul>
 * and calls {@link #ioReady()} when its wait for I/O is over, before it dispatches what it found.
 *
 * <p>For implementors of backends, not for protocol code.
 */
public abstract class ReactorBase implements Reactor {

    /** The logger of unhandled errors in callbacks. */
    protected static final Logger LOG = Loggers.get("dev.weft.reactor");

    private final String backendName;
    private final ReactorConfig config;
    private final long origin = System.nanoTime();
    private final Lifecycle lifecycle = new Lifecycle();
    private final LoopPass loop;
    private final FlightEvents flight;
    private final LoopDriver driver;
    private final SystemEvents events = new SystemEvents(this::startOrShutDown, this::logError);
    private final ThreadPool pool;
    private final DescriptorSet descriptors = new DescriptorSet(this);
    private final OpenResources resources = new OpenResources(this);
    private final BlockingCalls blockingCalls = new BlockingCalls(this, lifecycle);

    /**
     * Creates the shared part of a reactor whose loop polls by itself on the thread that runs it.
     *
     * @param backendName the name of the backend, for {@link #backendName()} and log lines
     * @param config      the configuration
     * @param poller      how the loop waits for I/O and wakes
     */
    protected ReactorBase(String backendName, ReactorConfig config, IoPoller poller) {
        this(backendName, config, pass -> ownLoop(backendName, config, pass,
                new PollingLoop(pass, Objects.requireNonNull(poller, "poller"))));
    }

    /** The loop of a reactor that owns it: on the calling thread, or on a virtual thread ({@code weft.loop.virtual}). */
    private static LoopDriver ownLoop(String backendName, ReactorConfig config, LoopPass pass, PollingLoop loop) {
        if (!config.virtualLoop()) {
            return loop;
        }
        ThreadFactory threads = VirtualThreads.factory("weft-loop-" + backendName + "-");
        if (threads == null) {
            LOG.warn("{}=true needs JDK 21 or later; the {} reactor's loop runs on the thread that calls run()",
                    ReactorConfig.VIRTUAL_LOOP, backendName);
            return loop;
        }
        return new VirtualThreadLoop(loop, pass, threads);
    }

    /**
     * Creates the shared part of a reactor whose passes a host loop runs.
     *
     * @param backendName the name of the backend, for {@link #backendName()} and log lines
     * @param config      the configuration
     * @param driver      makes the driver of the passes
     */
    protected ReactorBase(String backendName, ReactorConfig config, HostedLoop driver) {
        this.backendName = Objects.requireNonNull(backendName, "backendName");
        this.config = Objects.requireNonNull(config, "config");
        this.pool = new ThreadPool("weft-" + backendName, config.threadPoolSize(), config.virtualThreads());
        this.flight = new FlightEvents(backendName);
        this.loop = new LoopPass(this, lifecycle,
                new BlockedLoopDetector(backendName, config.blockedThresholdMillis(), flight), flight);
        this.driver = Objects.requireNonNull(driver.create(loop), "driver");
    }

    // ---------------------------------------------------------------- backend hooks

    /**
     * The reader or writer of a channel changed: watch the channel for what {@link Interest#reader()} and
     * {@link Interest#writer()} ask for; stop watching it when {@link Interest#isEmpty()}. Called on the reactor
     * thread (or while the loop is not running).
     *
     * @param interest the channel and what to watch it for
     */
    protected abstract void interestChanged(Interest interest);

    /**
     * Called once on the reactor thread when shutdown has completed (after the {@code AFTER} shutdown triggers),
     * to release the backend's resources. Does nothing by default.
     */
    protected void onShutdown() {
    }

    // ---------------------------------------------------------------- for backends

    /**
     * The watched descriptors, whose readiness a backend dispatches. Reactor thread.
     *
     * @return the descriptor set
     */
    protected final DescriptorSet descriptors() {
        return descriptors;
    }

    /**
     * The driver made at construction (a backend's own {@link HostedLoop} driver, for instance). Any thread.
     *
     * @return the driver
     */
    protected final LoopDriver loopDriver() {
        return driver;
    }

    /**
     * The loop's wait for I/O is over and what was ready is about to be dispatched: the blocked-loop detector counts
     * the loop busy from here (see {@link LoopPass#ioReady()}). A backend calls it before running the reactor's code
     * for the I/O its poll found (watched descriptors need not: {@link DescriptorSet} calls it). Only the first call
     * after the loop began waiting does anything; it costs one field read otherwise. Loop thread.
     */
    protected final void ioReady() {
        loop.ioReady();
    }

    /**
     * Logs an unhandled error of a callback, with what raised it. Never throws. Any thread.
     *
     * @param what where it happened, e.g. "in a timed call (MyTask)"
     * @param t    the error
     */
    protected final void logError(String what, Throwable t) {
        try {
            LOG.error("Unhandled error {} [reactor {}]", what, backendName, t);
        } catch (Throwable ignored) {
            // a broken logger must not stop the loop
        }
    }

    /**
     * The configuration this reactor was made with. Any thread.
     *
     * @return the configuration
     */
    protected final ReactorConfig config() {
        return config;
    }

    /**
     * Whether the calling thread is the reactor thread (the thread running or last running the loop). Any thread.
     *
     * @return true on the reactor thread
     */
    protected final boolean isReactorThread() {
        return loop.isLoopThread();
    }

    /** What this reactor tells JDK Flight Recorder. Any thread. */
    final FlightEvents flight() {
        return flight;
    }

    /**
     * Refuses a call that is not thread-safe when it comes from another thread than the running reactor's (a
     * backend's {@code listenTCP}, for instance). Allowed on any thread while the loop is not running.
     *
     * @param method the name of the method, for the message
     * @throws IllegalStateException if the loop runs on another thread
     */
    protected final void checkThread(String method) {
        if (loop.inLoop() && !loop.isLoopThread()) {
            throw new IllegalStateException(method + " is not thread-safe and was called from thread "
                    + StandIn.actingThread().getName() + " while the reactor runs on " + loop.reactorThread().getName()
                    + ": wrap the call in callFromThread");
        }
    }

    // ---------------------------------------------------------------- time

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public double seconds() {
        return (System.nanoTime() - origin) / 1e9;
    }

    @Override
    public DelayedCall callLater(double delaySeconds, Runnable f) {
        checkThread("callLater");
        return loop.timers.schedule(delaySeconds, f);
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return loop.timers.active();
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void run() {
        ShutdownHook hook = ShutdownHook.install(this, lifecycle);
        try {
            driver.run(() -> false);
        } finally {
            hook.remove();
        }
    }

    @Override
    public <T> T runUntil(Deferred<T> d) throws Exception {
        Objects.requireNonNull(d, "d (the Deferred to wait for) must not be null");
        Object[] outcome = new Object[2];
        boolean[] done = {false};
        d.addBoth((r, f) -> {
            done[0] = true;
            outcome[0] = r;
            outcome[1] = f;
            return null;
        });
        if (done[0]) {
            loop.checkCanEnter();
        } else {
            driver.run(() -> done[0]);
        }
        if (!done[0]) {
            throw new ReactorNotRunningException("the reactor stopped before the Deferred passed to runUntil fired");
        }
        if (outcome[1] != null) {
            Throwable f = (Throwable) outcome[1];
            if (f instanceof Error) {
                throw (Error) f;
            }
            throw (Exception) f;
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    @Override
    public void iterate(double delaySeconds) {
        DelayedCallQueue.checkDelay("delaySeconds", delaySeconds);
        driver.iterate(delaySeconds >= 9e9 ? Long.MAX_VALUE : (long) (delaySeconds * 1e9));
    }

    @Override
    public void stop() {
        checkThread("stop");
        lifecycle.stop();
    }

    @Override
    public void crash() {
        checkThread("crash");
        loop.requestExit();
        lifecycle.crash();
    }

    @Override
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    /**
     * Whether shutdown reached its {@code DURING} phase: what is registered with the reactor from now on is never
     * closed by it. Any thread.
     *
     * @return whether the reactor has stopped
     */
    final boolean hasStopped() {
        return lifecycle.isStopped();
    }

    @Override
    public TriggerId callWhenRunning(Runnable f) {
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        if (lifecycle.isRunning()) {
            f.run();
            return null;
        }
        return addSystemEventTrigger(Phase.AFTER, STARTUP, f);
    }

    @Override
    public TriggerId addSystemEventTrigger(Phase phase, String event, SystemEventTrigger trigger) {
        Objects.requireNonNull(phase, "phase must not be null");
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(trigger, "trigger must not be null");
        checkThread("addSystemEventTrigger");
        return events.add(phase, event, trigger);
    }

    @Override
    public TriggerId addSystemEventTrigger(Phase phase, String event, Runnable trigger) {
        Objects.requireNonNull(trigger, "trigger must not be null");
        return addSystemEventTrigger(phase, event, new SystemEventTrigger() {
            @Override
            public Deferred<?> fire() {
                trigger.run();
                return null;
            }

            @Override
            public String toString() {
                return trigger.toString();
            }
        });
    }

    @Override
    public void removeSystemEventTrigger(TriggerId id) {
        Objects.requireNonNull(id, "id must not be null");
        checkThread("removeSystemEventTrigger");
        events.remove(id);
    }

    @Override
    public void fireSystemEvent(String event) {
        Objects.requireNonNull(event, "event must not be null");
        checkThread("fireSystemEvent");
        events.fire(event);
    }

    /** Fires {@code startup} or {@code shutdown} for the loop. Reactor thread. */
    final void fireEvent(String event) {
        events.fire(event);
    }

    /**
     * The {@code DURING} phase of an event: startup starts the thread pool; the shutdown of an accepted stop ends
     * the run and {@link #closeEverything()}.
     */
    private void startOrShutDown(String event, Phase phase) {
        if (phase != Phase.DURING) {
            return;
        }
        if (STARTUP.equals(event)) {
            lifecycle.startupReached();
            pool.start();
        } else if (SHUTDOWN.equals(event) && lifecycle.shutdownReached()) {
            loop.requestExit();
            closeEverything();
        }
    }

    /**
     * Shutdown's {@code DURING} phase: closes every connection, connector and port ({@code OpenResources}), ends the
     * watched descriptors, fails the waiting {@code blockingCallFromThread} calls and stops the thread pool. Reactor
     * thread.
     */
    private void closeEverything() {
        resources.closeAll(descriptors);
        blockingCalls.failAll();
        pool.stop();
    }

    /** Tells the driver that the earliest deadline changed; see {@link LoopDriver#earliestDeadlineChanged()}. */
    final void earliestDeadlineChanged() {
        driver.earliestDeadlineChanged();
    }

    // ---------------------------------------------------------------- threads

    @Override
    public void callFromThread(Runnable f) {
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        loop.threadCalls.add(f);
        if (loop.waiting.get() && loop.waiting.compareAndSet(true, false)) {
            driver.wakeUp();
        }
    }

    /** Runs one {@code callFromThread} call, logging what it throws. Reactor thread. */
    final void runThreadCall(Runnable f) {
        try {
            f.run();
        } catch (Throwable t) {
            logError("in a thread call (" + f + ")", t);
        }
    }

    @Override
    public void callInThread(Runnable f) {
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        pool.submit(() -> {
            try {
                f.run();
            } catch (Throwable t) {
                logError("in a callInThread call (" + f + ")", t);
            }
        });
    }

    @Override
    public <T> Deferred<T> deferToThread(Callable<T> f) {
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        Deferred<T> d = new Deferred<>();
        pool.submit(() -> {
            T result;
            try {
                result = f.call();
            } catch (Throwable t) {
                callFromThread(() -> d.errback(t));
                return;
            }
            callFromThread(() -> d.callback(result));
        });
        return d;
    }

    @Override
    public <T> T blockingCallFromThread(Callable<Deferred<T>> f) throws Exception {
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        if (isReactorThread()) {
            throw new IllegalStateException(
                    "blockingCallFromThread called on the reactor thread: it would wait for itself forever");
        }
        return blockingCalls.call(f);
    }

    @Override
    public void suggestThreadPoolSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, got " + size);
        }
        pool.setMaxThreads(size);
    }

    // ---------------------------------------------------------------- descriptors

    @Override
    public void addReader(ReadDescriptor reader) {
        descriptors.addReader(reader);
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        descriptors.addWriter(writer);
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        checkThread("removeReader");
        descriptors.removeReader(reader);
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        checkThread("removeWriter");
        descriptors.removeWriter(writer);
    }

    @Override
    public List<FileDescriptor> removeAll() {
        checkThread("removeAll");
        return descriptors.removeAll();
    }

    @Override
    public List<ReadDescriptor> getReaders() {
        return descriptors.readers();
    }

    @Override
    public List<WriteDescriptor> getWriters() {
        return descriptors.writers();
    }

    // ---------------------------------------------------------------- processes

    /** Starts the child ({@code ProcessSpawn}) and connects its protocol ({@code ChildProcess}). */
    @Override
    public ProcessTransport spawnProcess(ProcessProtocol protocol, String executable, List<String> args,
            Map<String, String> env, Path path) {
        Objects.requireNonNull(protocol, "protocol must not be null");
        checkThread("spawnProcess");
        Process process = ProcessSpawn.start(executable, args, env, path);
        ChildProcess child = new ChildProcess(this, protocol, process, executable);
        register(child);
        child.start();
        return child;
    }

    // ---------------------------------------------------------------- resources

    /**
     * Registers a connection or port that shutdown must close; see {@link ReactorResource}. Reactor thread only.
     *
     * @param resource the connection or port
     */
    final void register(ReactorResource resource) {
        resources.add(resource);
    }

    /**
     * Forgets a resource registered with {@link #register(ReactorResource)}, once it is closed. Reactor thread only.
     *
     * @param resource the connection or port
     */
    final void unregister(ReactorResource resource) {
        resources.remove(resource);
    }

    /** The connections, connectors and ports its shutdown would close ({@code OpenResources}). Reactor thread only. */
    @Override
    public final int openResourceCount() {
        return resources.size();
    }
}
