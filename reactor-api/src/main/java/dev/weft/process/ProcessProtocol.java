package dev.weft.process;

import dev.weft.protocol.ConnectionClosedException;
import java.util.Objects;

/**
 * The handler of one child process's events (Twisted's {@code ProcessProtocol}): subclass it and override the
 * callbacks you need; each default does nothing.
 *
 * <p>Order, as in Twisted: {@link #connectionMade()} first, inside {@code spawnProcess}; then the output of each
 * stream in the order the child wrote it, each stream's data before that stream's end
 * ({@link #outConnectionLost()}, {@link #errConnectionLost()}); {@link #inConnectionLost()} once standard input is
 * closed ({@link ProcessTransport#closeStdin()}, a failed write, or the child's exit);
 * {@link #processExited(ConnectionClosedException)} when the child's exit is seen, which may come before, between or
 * after the streams' ends (Twisted does not order them either); and {@link #processEnded(ConnectionClosedException)}
 * last, exactly once, after {@code processExited} and the ends of all three streams. The reason given to both is a
 * {@link ProcessDone} (exit code 0) or a {@link ProcessTerminated} (another exit code, or the signal that killed the
 * child).
 *
 * <p>Every callback runs on the reactor thread, one at a time, so a protocol needs no locking. An exception thrown by
 * {@link #outReceived(byte[])} or {@link #errReceived(byte[])} is logged and ends that stream, as Twisted does; one
 * thrown by another callback is logged.
 */
public abstract class ProcessProtocol {

    /** The child's transport, set by {@link #makeConnection(ProcessTransport)}; null before that. */
    protected ProcessTransport transport;

    /** Creates a protocol with no transport. */
    protected ProcessProtocol() {
    }

    /**
     * Sets {@link #transport}, then calls {@link #connectionMade()}. Called once by {@code spawnProcess}, on the
     * reactor thread. An override must call {@code super.makeConnection}.
     *
     * @param transport the child's transport
     */
    public void makeConnection(ProcessTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport must not be null");
        connectionMade();
    }

    /** The child was started; {@link #transport} is set. Reactor thread. */
    public void connectionMade() {
    }

    /**
     * Data the child wrote to one of its output streams (Twisted's {@code childDataReceived}); calls
     * {@link #outReceived(byte[])} for descriptor 1 and {@link #errReceived(byte[])} for 2. Reactor thread.
     *
     * @param childFD 1 (standard output) or 2 (standard error)
     * @param data    the bytes, never empty; the protocol may keep the array
     */
    public void childDataReceived(int childFD, byte[] data) {
        if (childFD == 1) {
            outReceived(data);
        } else if (childFD == 2) {
            errReceived(data);
        }
    }

    /**
     * Data the child wrote to its standard output. Reactor thread.
     *
     * @param data the bytes, never empty; the protocol may keep the array
     */
    public void outReceived(byte[] data) {
    }

    /**
     * Data the child wrote to its standard error. Reactor thread.
     *
     * @param data the bytes, never empty; the protocol may keep the array
     */
    public void errReceived(byte[] data) {
    }

    /**
     * One of the child's streams is closed (Twisted's {@code childConnectionLost}); calls
     * {@link #inConnectionLost()}, {@link #outConnectionLost()} or {@link #errConnectionLost()} for descriptor 0, 1
     * or 2. Reactor thread.
     *
     * @param childFD 0, 1 or 2
     */
    public void childConnectionLost(int childFD) {
        switch (childFD) {
            case 0 -> inConnectionLost();
            case 1 -> outConnectionLost();
            case 2 -> errConnectionLost();
            default -> {
            }
        }
    }

    /** The child's standard input is closed; writes are no longer passed on. Reactor thread. */
    public void inConnectionLost() {
    }

    /** The child's standard output ended (its end of file, or {@link ProcessTransport#closeStdout()}). Reactor thread. */
    public void outConnectionLost() {
    }

    /** The child's standard error ended (its end of file, or {@link ProcessTransport#closeStderr()}). Reactor thread. */
    public void errConnectionLost() {
    }

    /**
     * The child exited; its output streams may still deliver data. Reactor thread.
     *
     * @param reason a {@link ProcessDone} or a {@link ProcessTerminated}
     */
    public void processExited(ConnectionClosedException reason) {
    }

    /**
     * The child exited and all its streams are closed: the last callback, exactly once. Reactor thread.
     *
     * @param reason a {@link ProcessDone} or a {@link ProcessTerminated}, the same as given to
     *               {@link #processExited(ConnectionClosedException)}
     */
    public void processEnded(ConnectionClosedException reason) {
    }
}
