package dev.weft.reactor.spi;

import dev.weft.process.ProcessExitedAlreadyException;
import dev.weft.process.ProcessProtocol;
import dev.weft.process.ProcessTransport;
import dev.weft.protocol.ConnectionClosedException;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Producer;
import dev.weft.reactor.internal.ProducerRegistration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A child process and its transport: the reactor side of {@code spawnProcess}. Two {@link ChildOutput} reader
 * threads and, from the first write, one {@link ChildInput} writer thread move bytes; the JDK's {@code onExit}
 * reports the exit; each hands its event to the reactor thread with {@code callFromThread}, where this class calls
 * the protocol in Twisted's order ({@link ProcessProtocol}'s class doc) and ends with {@code processEnded} once the
 * child exited and all three streams are closed.
 *
 * <p>Reactor thread only, except {@link #post(Runnable)}.
 */
final class ChildProcess implements ProcessTransport, ReactorResource {
    /** Above this many queued bytes of standard input a streaming producer is paused. */
    static final int STDIN_HIGH_WATER = 64 * 1024;

    /** Where the child is in its life. */
    private enum Life {
        /** Running: its exit has not been seen. */
        RUNNING,
        /** Its exit was reported with {@code processExited}; streams may still be open. */
        EXITED,
        /** {@code processEnded} was called. */
        ENDED,
        /** The reactor shut down while it ran: it is left running, unwatched. */
        DETACHED
    }

    /** Standard input, from the transport's side. */
    private enum Stdin {
        /** Writes are passed on. */
        OPEN,
        /** {@code closeStdin} was called; what was queued is being written before the close. */
        CLOSING,
        /** Closed by {@code closeStdin} or {@code loseConnection}, and reported. */
        CLOSED,
        /** Lost because the child closed it or exited, and reported: writes are dropped, as in Twisted. */
        LOST
    }

    /** Whether the child's output is delivered. */
    private enum Delivery {
        FLOWING, PAUSED
    }

    private final ReactorBase reactor;
    private final ProcessProtocol protocol;
    private final Process process;
    private final String name;
    private final ChildOutput stdout;
    private final ChildOutput stderr;
    private final Set<ChildStream> lost = EnumSet.noneOf(ChildStream.class);
    private Life life = Life.RUNNING;
    private Stdin stdin = Stdin.OPEN;
    private Delivery delivery = Delivery.FLOWING;
    private ChildInput input;
    private long queuedBytes;
    private RegisteredProducer producer;
    private ConnectionClosedException reason;

    ChildProcess(ReactorBase reactor, ProcessProtocol protocol, Process process, String executable) {
        this.reactor = reactor;
        this.protocol = protocol;
        this.process = process;
        this.name = "process " + process.pid() + " (" + executable + ")";
        this.stdout = new ChildOutput(this, ChildStream.STDOUT.childFD, process.getInputStream());
        this.stderr = new ChildOutput(this, ChildStream.STDERR.childFD, process.getErrorStream());
    }

    /** Connects the protocol, then starts the readers and the watch on the exit. */
    void start() {
        try {
            protocol.makeConnection(this);
        } catch (Throwable t) {
            reactor.logError("in connectionMade of " + protocol + " for " + name, t);
        }
        thread(stdout, "stdout").start();
        thread(stderr, "stderr").start();
        process.onExit().whenComplete((p, e) -> post(this::exited));
    }

    private Thread thread(Runnable body, String stream) {
        Thread t = new Thread(body, "weft-process-" + process.pid() + "-" + stream);
        t.setDaemon(true);
        return t;
    }

    // ---------------------------------------------------------------- from the threads

    /** Hands an event of a reader, the writer or the exit watch to the reactor thread. Any thread. */
    void post(Runnable event) {
        reactor.callFromThread(() -> {
            if (life != Life.DETACHED) {
                event.run();
            }
        });
    }

    /** Runs {@code f} on a later pass of the loop (Twisted's {@code callLater(0, ...)}). */
    void later(Runnable f) {
        reactor.callLater(0, () -> {
            if (life != Life.DETACHED) {
                f.run();
            }
        });
    }

    boolean outputPaused() {
        return delivery == Delivery.PAUSED;
    }

    void deliver(int childFD, byte[] data) {
        try {
            protocol.childDataReceived(childFD, data);
        } catch (Throwable t) {
            reactor.logError("in childDataReceived(" + childFD + ") of " + protocol + " for " + name
                    + "; that stream is closed", t);
            closeChildFD(childFD);
        }
    }

    void streamEnded(int childFD) {
        ChildStream s = ChildStream.of(childFD);
        if (!lost.add(s)) {
            return;
        }
        try {
            protocol.childConnectionLost(childFD);
        } catch (Throwable t) {
            reactor.logError("in childConnectionLost(" + childFD + ") of " + protocol + " for " + name, t);
        }
        maybeEnded();
    }

    void stdinWritten(int n) {
        if (stdin == Stdin.CLOSED || stdin == Stdin.LOST) {
            return;
        }
        queuedBytes -= n;
        if (queuedBytes == 0 && producer != null && producer.resumeAtDrain()) {
            producer.paused = false;
            producer.resume();
        }
    }

    /** The writer closed the pipe ({@code failure} null) or failed to write ({@code failure} set). */
    void stdinClosed(Throwable failure) {
        if (stdin == Stdin.CLOSED || stdin == Stdin.LOST) {
            return;
        }
        stdinEnded(failure == null && stdin == Stdin.CLOSING ? Stdin.CLOSED : Stdin.LOST);
    }

    private void stdinEnded(Stdin how) {
        stdin = how;
        queuedBytes = 0;
        RegisteredProducer p = producer;
        producer = null;
        if (p != null) {
            try {
                p.producer.stopProducing();
            } catch (Throwable t) {
                reactor.logError("in stopProducing of " + p + " for the standard input of " + name, t);
            }
        }
        streamEnded(ChildStream.STDIN.childFD);
    }

    private void exited() {
        if (life != Life.RUNNING) {
            return;
        }
        life = Life.EXITED;
        reason = ExitReasons.of(process.exitValue());
        try {
            protocol.processExited(reason);
        } catch (Throwable t) {
            reactor.logError("in processExited of " + protocol + " for " + name, t);
        }
        if (stdin == Stdin.OPEN || stdin == Stdin.CLOSING) {
            if (input != null) {
                input.abandon();
            } else {
                closeStdinPipe();
            }
            stdinEnded(stdin == Stdin.CLOSING ? Stdin.CLOSED : Stdin.LOST);
        } else {
            maybeEnded();
        }
    }

    private void maybeEnded() {
        if (life != Life.EXITED || lost.size() < ChildStream.values().length) {
            return;
        }
        life = Life.ENDED;
        reactor.unregister(this);
        try {
            protocol.processEnded(reason);
        } catch (Throwable t) {
            reactor.logError("in processEnded of " + protocol + " for " + name, t);
        }
    }

    // ---------------------------------------------------------------- the transport

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        checkWritable();
        if (stdin == Stdin.LOST || data.length == 0) {
            return;
        }
        if (input == null) {
            input = new ChildInput(this, process.getOutputStream());
            thread(input, "stdin").start();
        }
        input.write(data.clone());
        queuedBytes += data.length;
        if (queuedBytes > STDIN_HIGH_WATER && producer != null && producer.streaming && !producer.paused) {
            producer.paused = true;
            producer.pause();
        }
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        Objects.requireNonNull(data, "data must not be null");
        checkWritable();
        for (byte[] chunk : data) {
            write(chunk);
        }
    }

    private void checkWritable() {
        reactor.checkThread("ProcessTransport.write");
        if (stdin == Stdin.CLOSING || stdin == Stdin.CLOSED) {
            throw new IllegalStateException("write after closeStdin (or loseConnection) on " + name);
        }
    }

    @Override
    public void registerProducer(Producer p, boolean streaming) {
        reactor.checkThread("ProcessTransport.registerProducer");
        ProducerRegistration.check(producer == null ? null : producer.producer, p, streaming);
        if (stdin != Stdin.OPEN) {
            p.stopProducing();
            return;
        }
        producer = new RegisteredProducer(p, streaming);
        if (!streaming) {
            producer.resume();
        } else if (queuedBytes > STDIN_HIGH_WATER) {
            producer.paused = true;
            producer.pause();
        }
    }

    @Override
    public void unregisterProducer() {
        reactor.checkThread("ProcessTransport.unregisterProducer");
        producer = null;
    }

    @Override
    public void closeStdin() {
        reactor.checkThread("ProcessTransport.closeStdin");
        if (stdin != Stdin.OPEN) {
            return;
        }
        stdin = Stdin.CLOSING;
        if (input != null) {
            input.close();
        } else {
            closeStdinPipe();
            later(() -> stdinClosed(null));
        }
    }

    private void closeStdinPipe() {
        try {
            process.getOutputStream().close();
        } catch (java.io.IOException e) {
            // the child closed it already: nothing is lost that was not lost already
        }
    }

    @Override
    public void closeStdout() {
        reactor.checkThread("ProcessTransport.closeStdout");
        stdout.close();
    }

    @Override
    public void closeStderr() {
        reactor.checkThread("ProcessTransport.closeStderr");
        stderr.close();
    }

    @Override
    public void closeChildFD(int childFD) {
        switch (ChildStream.of(childFD)) {
            case STDIN -> closeStdin();
            case STDOUT -> closeStdout();
            case STDERR -> closeStderr();
        }
    }

    @Override
    public void loseConnection() {
        closeStdin();
        closeStderr();
        closeStdout();
    }

    @Override
    public void signalProcess(String signalName) {
        ChildSignal signal = ChildSignal.named(signalName);
        reactor.checkThread("ProcessTransport.signalProcess");
        if (reason != null || !process.isAlive()) {
            throw new ProcessExitedAlreadyException("signalProcess(" + signalName + "): " + name
                    + " has exited already");
        }
        signal.send(process);
    }

    @Override
    public OptionalLong getPid() {
        return reason == null ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** Stops delivering the child's output; the readers stop once their chunks are held. */
    @Override
    public void pauseProducing() {
        reactor.checkThread("ProcessTransport.pauseProducing");
        delivery = Delivery.PAUSED;
    }

    /** Delivers what was held, on a later pass, and reads on. */
    @Override
    public void resumeProducing() {
        reactor.checkThread("ProcessTransport.resumeProducing");
        if (delivery == Delivery.FLOWING) {
            return;
        }
        delivery = Delivery.FLOWING;
        post(() -> {
            stdout.deliverHeld();
            stderr.deliverHeld();
        });
    }

    /** {@link #loseConnection()}, as in Twisted. */
    @Override
    public void stopProducing() {
        loseConnection();
    }

    // ---------------------------------------------------------------- shutdown

    /** Leaves the child running, unwatched: no further callbacks; its output is drained into nothing. */
    @Override
    public void reactorShutdown(ConnectionLost shutdownReason) {
        if (life == Life.ENDED) {
            return;
        }
        life = Life.DETACHED;
        stdout.detach();
        stderr.detach();
    }

    @Override
    public String toString() {
        return name;
    }
}
