package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Connector;
import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.FileDescriptor;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorAlreadyRunningException;
import dev.weft.reactor.ReactorNotRestartableException;
import dev.weft.reactor.ReactorNotRunningException;
import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.SystemEventTrigger;
import dev.weft.reactor.TriggerId;
import dev.weft.reactor.WriteDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reactor contract, written once: lifecycle, system event triggers, DelayedCalls, the {@code callFromThread}
 * queue, the thread pool, the set of watched descriptors, error logging and the blocked-loop detector. A backend
 * extends it and supplies only how to wait for I/O ({@link #doIteration(long)}), how to wake that wait from another
 * thread ({@link #wakeUp()}) and how to watch channels ({@link #interestChanged(Interest)}).
 *
 * <p>One pass of the loop: if a stop was asked for, fire the {@code shutdown} event; run a snapshot of the thread
 * calls; run the DelayedCalls due at one reading of the clock; poll for I/O up to the next deadline (not at all if
 * work is pending); dispatch the ready descriptors.
 *
 * <p>For implementors of backends, not for protocol code.
 */
public abstract class ReactorBase implements Reactor {

    /** The logger of unhandled errors in callbacks. */
    protected static final Logger LOG = LoggerFactory.getLogger("dev.weft.reactor");

    private static final long SHUTDOWN_HOOK_WAIT_SECONDS = 30;

    private final String backendName;
    private final ReactorConfig config;
    private final long origin = System.nanoTime();
    private final DelayedCallQueue timers = new DelayedCallQueue(this::seconds, this::earliestDeadlineChanged);
    /**
     * Runs a due DelayedCall. Its log line names the function as well as the call: the queue drops the function
     * from the DelayedCall before running it, so the DelayedCall alone no longer says what raised the error.
     */
    private final DelayedCallQueue.Invoker timerInvoker = (call, f) -> {
        try {
            f.run();
        } catch (Throwable t) {
            logError("in a timed call (" + f + ", " + call + ")", t);
        }
    };
    private final ThreadCallQueue threadCalls = new ThreadCallQueue();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final SystemEvents events = new SystemEvents(this::enterPhase, this::logError);
    private final ThreadPool pool;
    private final BlockedLoopDetector detector;
    private final Map<SelectableChannel, Interest> interests = new LinkedHashMap<>();
    private final Set<CompletableFuture<?>> blockingCalls = ConcurrentHashMap.newKeySet();
    private final Set<ReactorResource> resources = new LinkedHashSet<>();

    private boolean running;
    private boolean startupFired;
    private boolean stopRequested;
    private boolean stopping;
    private volatile boolean stopped;
    private boolean exitLoop;
    private volatile boolean inLoop;
    private volatile Thread reactorThread;

    /**
     * Creates the shared part of a reactor.
     *
     * @param backendName the name of the backend, for {@link #backendName()} and log lines
     * @param config      the configuration
     */
    protected ReactorBase(String backendName, ReactorConfig config) {
        this.backendName = Objects.requireNonNull(backendName, "backendName");
        this.config = Objects.requireNonNull(config, "config");
        this.pool = new ThreadPool("weft-" + backendName, config.threadPoolSize(), config.virtualThreads());
        this.detector = new BlockedLoopDetector(backendName, config.blockedThresholdMillis());
    }

    // ---------------------------------------------------------------- driver hooks

    /**
     * Waits for I/O for at most {@code timeoutNanos} and dispatches every ready channel with
     * {@link #dispatchRead(Interest)} and {@link #dispatchWrite(Interest)}. Called on the reactor thread.
     *
     * @param timeoutNanos the longest wait: 0 means poll without blocking, -1 means no limit
     * @throws IOException if polling fails; it is logged and the loop goes on
     */
    protected abstract void doIteration(long timeoutNanos) throws IOException;

    /**
     * The granularity of {@link #doIteration(long)}'s wait, when it cannot wait for less than a whole unit (a
     * {@code Selector.select(long)} counts milliseconds). The loop then asks for the wait rounded down to a whole
     * number of units, and polls without waiting (a timeout of 0) once the next deadline is less than a unit away,
     * so that a timer is not late by the rounding of the wait; the price is a loop that polls, using its CPU, for
     * up to one unit before each deadline. Called on the reactor thread, once per pass of {@code run()}'s loop.
     *
     * @return the unit in nanoseconds, or 0 (the default) when the wait is precise enough as it is
     */
    protected long waitGranularityNanos() {
        return 0;
    }

    /**
     * Makes a {@link #doIteration(long)} that is blocked (or the next one) return at once. Called from any thread,
     * only when the loop may be blocked.
     */
    protected abstract void wakeUp();

    /**
     * The reader or writer of a channel changed: watch the channel for what {@link Interest#reader()} and
     * {@link Interest#writer()} ask for; stop watching it when {@link Interest#isEmpty()}. Called on the reactor
     * thread.
     *
     * @param interest the channel and what to watch it for
     */
    protected abstract void interestChanged(Interest interest);

    /**
     * Binds a TCP port for {@code listenTCP} ({@code tls} null) or {@code listenSSL}, before returning, and starts
     * accepting. The arguments are checked and the thread is the reactor thread (or the loop is not running).
     *
     * @param port    the port, 0 for one the system picks
     * @param factory the factory
     * @param backlog the backlog
     * @param iface   the interface, {@code ""} for all
     * @param tls     the TLS context, or null
     * @return the port, a {@link ListeningPortBase}
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    protected abstract ListeningPort openTcpPort(int port, Factory factory, int backlog, String iface,
            SSLContext tls);

    /**
     * The backend's outgoing connections: what makes a new, unstarted {@link ConnectionAttempt} for each try of a
     * {@code connectTCP}/{@code connectSSL} connector ({@link TcpConnector} does the rest). Called on the reactor
     * thread at the {@code connectTCP} call; the supplier is called on the reactor thread at each try.
     *
     * @return a supplier of new attempts
     */
    protected abstract Supplier<? extends ConnectionAttempt> connectionAttempts();

    private TcpConnector newConnector(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress, SSLContext tls, boolean verifyHostname) {
        return new TcpConnector(connectionAttempts(), this, host, port, factory, timeoutSeconds, bindAddress, tls,
                verifyHostname);
    }

    /**
     * Binds a UDP port for {@code listenUDP} before returning. The arguments are checked.
     *
     * @param port          the port, 0 for one the system picks
     * @param protocol      the protocol
     * @param iface         the interface, {@code ""} for all
     * @param maxPacketSize the largest datagram
     * @return the port, a {@link DatagramPortBase}
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    protected abstract DatagramTransport openUdpPort(int port, DatagramProtocol protocol, String iface,
            int maxPacketSize);

    /**
     * A DelayedCall became the earliest one ({@code callLater}, {@code reset} or {@code delay}), on the thread that
     * made the change (the reactor thread, or any thread before the loop runs). A driver that sleeps until the
     * earliest deadline outside of its passes (an attached Netty loop) wakes earlier; the default does nothing, since
     * a pass computes its wait after running its callbacks.
     */
    protected void earliestDeadlineChanged() {
    }

    /**
     * Called once on the reactor thread when shutdown has completed (after the {@code AFTER} shutdown triggers),
     * to release the backend's resources. Does nothing by default.
     */
    protected void onShutdown() {
    }

    /**
     * Runs the reader of {@code interest}, if it has one. An exception ends the descriptor: it is logged, removed
     * as reader and writer, and gets {@code connectionLost} with the exception.
     *
     * @param interest the ready channel
     */
    protected final void dispatchRead(Interest interest) {
        ReadDescriptor r = interest.reader;
        if (r != null) {
            try {
                r.doRead();
            } catch (Throwable t) {
                descriptorFailed(r, "in doRead of ", t);
            }
        }
    }

    /**
     * Runs the writer of {@code interest}, if it has one; see {@link #dispatchRead(Interest)}.
     *
     * @param interest the ready channel
     */
    protected final void dispatchWrite(Interest interest) {
        WriteDescriptor w = interest.writer;
        if (w != null) {
            try {
                w.doWrite();
            } catch (Throwable t) {
                descriptorFailed(w, "in doWrite of ", t);
            }
        }
    }

    /**
     * Logs an unhandled error of a callback, with what raised it. Never throws.
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
     * The configuration this reactor was made with.
     *
     * @return the configuration
     */
    protected final ReactorConfig config() {
        return config;
    }

    /**
     * Whether the calling thread is the reactor thread (the thread running or last running the loop).
     *
     * @return true on the reactor thread
     */
    protected final boolean isReactorThread() {
        return Thread.currentThread() == reactorThread;
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
        return timers.schedule(delaySeconds, f);
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        return timers.active();
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void run() {
        CountDownLatch exited = new CountDownLatch(1);
        Thread hook = installShutdownHook(exited);
        try {
            runLoop(() -> false);
        } finally {
            exited.countDown();
            removeShutdownHook(hook);
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
            checkCanRun();
        } else {
            runLoop(() -> done[0]);
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
        iterateLoop(delaySeconds >= 9e9 ? Long.MAX_VALUE : (long) (delaySeconds * 1e9));
    }

    /**
     * One pass of the loop for {@code iterate()}, without the {@code startup} event: due calls, then a wait for
     * I/O of at most {@code maxTimeoutNanos} and its dispatch. The default runs it on the calling thread; a
     * backend that drives its loop on another thread overrides it, as {@link #runLoop}.
     *
     * @param maxTimeoutNanos the longest wait for I/O, at least 0
     * @throws ReactorAlreadyRunningException  if the loop is already running
     * @throws ReactorNotRestartableException if the reactor was stopped
     */
    protected void iterateLoop(long maxTimeoutNanos) {
        enterLoop(Thread.currentThread());
        try {
            pass(maxTimeoutNanos, () -> false);
        } finally {
            leaveLoop();
        }
    }

    @Override
    public void stop() {
        checkThread("stop");
        if (!mayStop()) {
            throw new ReactorNotRunningException(stopping
                    ? "can't stop the reactor: it is already stopping"
                    : "can't stop the reactor: it is not running");
        }
        stopping = true;
        stopRequested = true;
    }

    /**
     * Whether {@code stop()} is accepted now: from the moment {@code run()} begins startup (its {@code BEFORE}
     * triggers, and the Deferreds they returned, included, as in Twisted) until a stop is accepted.
     */
    private boolean mayStop() {
        return (running || startupFired) && !stopping;
    }

    @Override
    public void crash() {
        checkThread("crash");
        exitLoop = true;
        running = false;
        startupFired = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public TriggerId callWhenRunning(Runnable f) {
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        if (running) {
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

    /**
     * Runs the loop until {@code until} holds or the loop ends ({@code stop()} or {@code crash()}), firing the
     * {@code startup} event first if it has not fired; {@code run()} and {@code runUntil()} call it. The default
     * runs the loop on the calling thread. A backend whose loop runs on a thread it does not own (an attached
     * Netty event loop) overrides it: {@link #enterLoop(Thread)} with that thread, then {@link #drivenPass} on
     * that thread until the loop ends, while the caller waits.
     *
     * @param until checked on the loop thread before each pass; true ends the loop
     * @throws ReactorAlreadyRunningException  if the loop is already running
     * @throws ReactorNotRestartableException if the reactor was stopped
     */
    protected void runLoop(BooleanSupplier until) {
        enterLoop(Thread.currentThread());
        try {
            startIfNeeded();
            loop(until);
        } finally {
            leaveLoop();
        }
    }

    /**
     * Marks the loop as running on {@code loopThread}, after checking that it may run. Called from any thread,
     * by a {@link #runLoop} that drives the loop on another thread, before its first {@link #drivenPass}.
     *
     * @param loopThread the thread every callback will run on
     * @throws ReactorAlreadyRunningException  if the loop is already running
     * @throws ReactorNotRestartableException if the reactor was stopped
     */
    protected final void enterLoop(Thread loopThread) {
        Objects.requireNonNull(loopThread, "loopThread");
        checkCanRun();
        checkLoopThread(loopThread);
        inLoop = true;
        reactorThread = loopThread;
        detector.start(loopThread);
        detector.busy();
    }

    private void checkCanRun() {
        if (stopped) {
            // From the DURING shutdown phase on, also inside a shutdown trigger of the loop still running: Twisted.
            throw new ReactorNotRestartableException("the reactor was stopped and cannot run again; create a new one");
        }
        if (inLoop) {
            throw new ReactorAlreadyRunningException("the reactor's loop is already running"
                    + (isReactorThread() ? " (called from inside a callback)" : " on thread " + reactorThread));
        }
        if (stopping && !stopRequested) {
            // Shutdown has started (or ended): a stopped reactor never runs again, even when a crash cut its
            // shutdown short. A stop() asked for while the loop was not iterating has not started: run() does it.
            throw new ReactorNotRestartableException("the reactor was stopped and cannot run again; create a new one");
        }
    }

    /**
     * Lets a backend whose loop can run on one thread only refuse another: called by {@link #enterLoop(Thread)}
     * after its own checks, before anything changed. Does nothing by default.
     *
     * @param loopThread the thread the loop is about to run on
     * @throws IllegalStateException if the loop cannot run on that thread
     */
    protected void checkLoopThread(Thread loopThread) {
    }

    private void leaveLoop() {
        detector.stop();
        exitLoop = false;
        inLoop = false;
    }

    private void startIfNeeded() {
        if (!startupFired) {
            startupFired = true;
            events.fire(STARTUP);
        }
    }

    private void enterPhase(String event, Phase phase) {
        if (phase != Phase.DURING) {
            return;
        }
        if (STARTUP.equals(event)) {
            running = true;
            pool.start();
        } else if (SHUTDOWN.equals(event) && stopping) {
            running = false;
            exitLoop = true;
            stopped = true;
            disconnectAll();
            failBlockingCalls();
            pool.stop();
        }
    }

    private void loop(BooleanSupplier until) {
        while (!exitLoop && !until.getAsBoolean()) {
            pass(-1, until);
        }
        releaseIfStopped();
    }

    private void releaseIfStopped() {
        if (stopped) {
            try {
                onShutdown();
            } catch (Throwable t) {
                logError("while releasing the resources of the " + backendName + " backend", t);
            }
        }
    }

    /** What {@link #drivenPass} returns once the loop has ended. */
    protected static final long LOOP_ENDED = -2;

    /**
     * One pass of a loop that a backend drives from tasks on a thread it does not own (an attached Netty event
     * loop), after {@link #enterLoop(Thread)}: the {@code startup} event the first time (if asked), then
     * {@link #runUntilCurrent()}. The backend polls for I/O between passes itself (dispatching with
     * {@link #dispatchRead}/{@link #dispatchWrite}) and runs the next pass after that I/O, after the returned
     * time, or when {@link #wakeUp()} is called, whichever comes first. Called on the loop thread.
     *
     * @param until   true ends the loop, like the argument of {@link #runLoop}
     * @param startup whether to fire the {@code startup} event if it has not fired (false for {@code iterate})
     * @return how long the loop may wait for the next pass (as {@link #timeoutNanos}: 0, a positive time, or -1
     *     for no limit), the loop being marked as waiting so that {@code callFromThread} calls {@link #wakeUp()};
     *     or {@link #LOOP_ENDED} when the loop ended in this pass (shutdown released with {@link #onShutdown()}
     *     if the reactor stopped)
     */
    protected final long drivenPass(BooleanSupplier until, boolean startup) {
        sleeping.set(false);
        detector.busy();
        if (startup) {
            startIfNeeded();
        }
        if (!exitLoop && !until.getAsBoolean()) {
            runUntilCurrent();
        }
        takeInterrupt();
        if (exitLoop || until.getAsBoolean()) {
            try {
                releaseIfStopped();
            } finally {
                leaveLoop();
            }
            return LOOP_ENDED;
        }
        long timeout = timeoutNanos(-1);
        if (timeout != 0) {
            sleeping.set(true);
            if (!threadCalls.isEmpty()) {
                timeout = 0;
            }
        }
        detector.idle();
        return timeout;
    }

    /**
     * One pass of the loop: the shutdown event if a stop was asked for, due thread calls and timed calls, then a
     * poll for I/O of at most {@code maxTimeoutNanos} (-1: up to the next deadline) and its dispatch.
     */
    private void pass(long maxTimeoutNanos, BooleanSupplier until) {
        runUntilCurrent();
        if (until.getAsBoolean()) {
            return;
        }
        long timeout = timeoutNanos(maxTimeoutNanos);
        long unit = waitGranularityNanos();
        if (timeout > 0 && unit > 0) {
            timeout -= timeout % unit; // wake before the deadline and poll up to it, rather than wake late
        }
        if (timeout != 0) {
            sleeping.set(true);
            if (!threadCalls.isEmpty()) {
                timeout = 0;
            }
        }
        detector.idle();
        try {
            doIteration(timeout);
        } catch (IOException | RuntimeException e) {
            logError("while polling for I/O", e);
        } finally {
            sleeping.set(false);
            detector.busy();
        }
        takeInterrupt();
    }

    /**
     * Clears the interrupt flag of the reactor thread, so that the next poll for I/O can block (an interrupted thread
     * makes a {@code Selector} return at once), and treats an interrupt as a request to stop.
     */
    private void takeInterrupt() {
        if (Thread.interrupted()) {
            stopOnInterrupt();
        }
    }

    /**
     * The thread that runs the reactor was interrupted (the loop thread, or the thread waiting in {@code run()} for
     * a loop that runs on a thread the backend does not own): a request to stop, as a SIGINT is. Stops the reactor
     * if {@code stop()} would be accepted now; otherwise (already stopping, or not started, as in {@code iterate()})
     * the interrupt has no other effect. The caller has cleared the flag. Called on the reactor thread.
     */
    protected final void stopOnInterrupt() {
        if (mayStop()) {
            LOG.info("the thread of the {} reactor was interrupted: stopping the reactor", backendName);
            stop();
        } else {
            LOG.debug("the thread of the {} reactor was interrupted while it could not stop: ignored", backendName);
        }
    }

    /**
     * The first half of a pass, for drivers that are themselves driven (an attached Netty loop): fires the
     * {@code shutdown} event if a stop was asked for, then runs a snapshot of the thread calls and the timed calls
     * due now. Called on the reactor thread.
     */
    protected final void runUntilCurrent() {
        if (stopRequested) {
            stopRequested = false;
            events.fire(SHUTDOWN);
        }
        threadCalls.runSnapshot(f -> runCallback("in a thread call", f, f));
        timers.runDue(seconds(), timerInvoker);
    }

    /**
     * How long the loop may wait for I/O now: 0 when work is pending (thread calls, a stop, a due timer), the
     * time to the next deadline otherwise, or -1 when nothing is scheduled; never more than {@code maxNanos}
     * unless that is -1.
     *
     * @param maxNanos the cap, or -1 for none
     * @return nanoseconds to wait, 0, or -1 for no limit
     */
    protected final long timeoutNanos(long maxNanos) {
        if (!threadCalls.isEmpty() || stopRequested || exitLoop) {
            return 0;
        }
        long t = -1;
        double next = timers.nextDeadline();
        if (next != Double.POSITIVE_INFINITY) {
            double dt = next - seconds();
            t = dt <= 0 ? 0 : dt >= 9e9 ? Long.MAX_VALUE : (long) Math.ceil(dt * 1e9);
        }
        if (maxNanos >= 0) {
            t = t < 0 ? maxNanos : Math.min(t, maxNanos);
        }
        return t;
    }

    private void runCallback(String what, Object source, Runnable f) {
        try {
            f.run();
        } catch (Throwable t) {
            logError(what + " (" + source + ")", t);
        }
    }

    /**
     * Refuses a call that is not thread-safe when it comes from another thread than the running reactor's (a
     * backend's {@code listenTCP}, for instance). Allowed on any thread while the loop is not running.
     *
     * @param method the name of the method, for the message
     * @throws IllegalStateException if the loop runs on another thread
     */
    protected final void checkThread(String method) {
        if (inLoop && Thread.currentThread() != reactorThread) {
            throw new IllegalStateException(method + " is not thread-safe and was called from thread "
                    + Thread.currentThread().getName() + " while the reactor runs on " + reactorThread.getName()
                    + ": wrap the call in callFromThread");
        }
    }

    private Thread installShutdownHook(CountDownLatch exited) {
        Thread hook = new Thread(() -> {
            callFromThread(() -> {
                if (mayStop()) {
                    stop();
                }
            });
            try {
                if (!exited.await(SHUTDOWN_HOOK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("the {} reactor did not shut down within {} s of the JVM's shutdown",
                            backendName, SHUTDOWN_HOOK_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "weft-shutdown-hook[" + backendName + "]");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return hook;
        } catch (IllegalStateException jvmShuttingDown) {
            return null;
        }
    }

    private static void removeShutdownHook(Thread hook) {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException jvmShuttingDown) {
                // the hook is running or will; nothing to undo
            }
        }
    }

    // ---------------------------------------------------------------- threads

    @Override
    public void callFromThread(Runnable f) {
        Objects.requireNonNull(f, "f (the function to call) must not be null");
        threadCalls.add(f);
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            wakeUp();
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
        if (stopped) {
            throw new ReactorNotRunningException("blockingCallFromThread: the reactor has stopped");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        blockingCalls.add(result);
        try {
            callFromThread(() -> {
                Deferred<T> d;
                try {
                    d = f.call();
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                    return;
                }
                if (d == null) {
                    result.complete(null);
                    return;
                }
                d.addBoth((r, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(r);
                    }
                    return null;
                });
            });
            if (stopped) {
                failBlockingCalls();
            }
            try {
                return result.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw (Exception) cause;
            }
        } finally {
            blockingCalls.remove(result);
        }
    }

    private void failBlockingCalls() {
        for (CompletableFuture<?> c : blockingCalls) {
            c.completeExceptionally(new ReactorNotRunningException(
                    "blockingCallFromThread: the reactor shut down before the result was delivered"));
        }
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
        Interest i = interestFor(reader, "reader");
        if (i.reader == reader) {
            return;
        }
        if (i.reader != null) {
            throw new IllegalStateException("channel " + i.channel() + " already has another reader: " + i.reader);
        }
        i.reader = reader;
        try {
            interestChanged(i);
        } catch (RuntimeException | Error e) {
            i.reader = null;
            forgetIfEmpty(i);
            throw e;
        }
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        Interest i = interestFor(writer, "writer");
        if (i.writer == writer) {
            return;
        }
        if (i.writer != null) {
            throw new IllegalStateException("channel " + i.channel() + " already has another writer: " + i.writer);
        }
        i.writer = writer;
        try {
            interestChanged(i);
        } catch (RuntimeException | Error e) {
            i.writer = null;
            forgetIfEmpty(i);
            throw e;
        }
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        checkThread("removeReader");
        Interest i = reader == null ? null : interests.get(reader.channel());
        if (i != null && i.reader == reader) {
            i.reader = null;
            update(i);
        }
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        checkThread("removeWriter");
        Interest i = writer == null ? null : interests.get(writer.channel());
        if (i != null && i.writer == writer) {
            i.writer = null;
            update(i);
        }
    }

    @Override
    public List<FileDescriptor> removeAll() {
        checkThread("removeAll");
        Map<FileDescriptor, Boolean> all = new IdentityHashMap<>();
        List<FileDescriptor> result = new ArrayList<>();
        for (Interest i : new ArrayList<>(interests.values())) {
            for (FileDescriptor fd : new FileDescriptor[] {i.reader, i.writer}) {
                if (fd != null && all.put(fd, Boolean.TRUE) == null) {
                    result.add(fd);
                }
            }
            i.reader = null;
            i.writer = null;
            update(i);
        }
        return result;
    }

    @Override
    public List<ReadDescriptor> getReaders() {
        List<ReadDescriptor> r = new ArrayList<>();
        for (Interest i : interests.values()) {
            if (i.reader != null) {
                r.add(i.reader);
            }
        }
        return r;
    }

    @Override
    public List<WriteDescriptor> getWriters() {
        List<WriteDescriptor> w = new ArrayList<>();
        for (Interest i : interests.values()) {
            if (i.writer != null) {
                w.add(i.writer);
            }
        }
        return w;
    }

    private Interest interestFor(FileDescriptor fd, String name) {
        Objects.requireNonNull(fd, name + " must not be null");
        checkThread("add" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
        SelectableChannel ch = fd.channel();
        if (ch == null) {
            throw new IllegalArgumentException(name + ".channel() returned null");
        }
        if (ch.isBlocking()) {
            throw new IllegalArgumentException(name + ".channel() is in blocking mode; call configureBlocking(false)");
        }
        if (!ch.isOpen()) {
            throw new IllegalArgumentException(name + ".channel() is closed");
        }
        return interests.computeIfAbsent(ch, Interest::new);
    }

    /** Drops a channel nothing watches any more (also after a backend refused a descriptor). */
    private void forgetIfEmpty(Interest i) {
        if (i.isEmpty()) {
            interests.remove(i.channel());
        }
    }

    private void update(Interest i) {
        forgetIfEmpty(i);
        interestChanged(i);
    }

    private void descriptorFailed(FileDescriptor fd, String what, Throwable t) {
        logError(what + fd.logPrefix(), t);
        Interest i = interests.get(fd.channel());
        if (i != null) {
            if (i.reader == fd) {
                i.reader = null;
            }
            if (i.writer == fd) {
                i.writer = null;
            }
            update(i);
        }
        connectionLost(fd, t);
    }

    private void connectionLost(FileDescriptor fd, Throwable reason) {
        try {
            fd.connectionLost(reason);
        } catch (Throwable t) {
            logError("in connectionLost of " + fd.logPrefix(), t);
        }
    }

    // ---------------------------------------------------------------- networking

    @Override
    public final ListeningPort listenTCP(int port, Factory factory, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        checkThread("listenTCP");
        return openTcpPort(port, factory, backlog, iface, null);
    }

    @Override
    public final ListeningPort listenSSL(int port, Factory factory, SSLContext context, int backlog, String iface) {
        NetChecks.listen(port, factory, backlog, iface);
        Objects.requireNonNull(context, "context must not be null");
        checkThread("listenSSL");
        return openTcpPort(port, factory, backlog, iface, context);
    }

    @Override
    public final Connector connectTCP(String host, int port, ClientFactory factory, double timeoutSeconds,
            InetSocketAddress bindAddress) {
        NetChecks.connect(host, port, factory, timeoutSeconds, bindAddress);
        checkThread("connectTCP");
        TcpConnector c = newConnector(host, port, factory, timeoutSeconds, bindAddress, null, false);
        c.connect();
        return c;
    }

    @Override
    public final Connector connectSSL(String host, int port, ClientFactory factory, SSLContext context,
            boolean verifyHostname, double timeoutSeconds, InetSocketAddress bindAddress) {
        NetChecks.connect(host, port, factory, timeoutSeconds, bindAddress);
        Objects.requireNonNull(context, "context must not be null");
        checkThread("connectSSL");
        TcpConnector c = newConnector(host, port, factory, timeoutSeconds, bindAddress, context, verifyHostname);
        c.connect();
        return c;
    }

    @Override
    public final DatagramTransport listenUDP(int port, DatagramProtocol protocol, String iface, int maxPacketSize) {
        NetChecks.listenUdp(port, protocol, iface, maxPacketSize);
        checkThread("listenUDP");
        return openUdpPort(port, protocol, iface, maxPacketSize);
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

    /**
     * The number of connections, connectors that are connecting, and ports (TCP and UDP) this reactor holds open
     * now: the resources its shutdown would close. For tests of leaks (a count that goes back to where it was once
     * the connections are closed), and for monitoring; not part of the {@link Reactor} contract. Reactor thread
     * only, or while the loop is not running.
     *
     * @return how many resources are open
     */
    public final int openResourceCount() {
        return resources.size();
    }

    private void disconnectAll() {
        List<ReactorResource> open = new ArrayList<>(resources);
        resources.clear();
        for (ReactorResource r : open) {
            try {
                r.reactorShutdown(new ConnectionLost("the reactor shut down"));
            } catch (Throwable t) {
                logError("while closing " + r + " at shutdown", t);
            }
        }
        for (FileDescriptor fd : removeAll()) {
            connectionLost(fd, new ConnectionLost("the reactor shut down"));
        }
    }
}
