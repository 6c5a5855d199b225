package dev.weft.process;

import dev.weft.protocol.Consumer;
import dev.weft.protocol.Producer;
import dev.weft.protocol.PushProducer;
import java.util.OptionalLong;

/**
 * The transport of a child process (Twisted's process transport): write to its standard input, close its streams,
 * send it signals, and pause the delivery of its output.
 *
 * <p>As a {@link Consumer} it is the child's standard input: {@link #write(byte[])} queues bytes that a writer
 * thread passes on in order; a producer registered with {@link #registerProducer(Producer, boolean)} is paused
 * while more than 64 KiB wait (the child does not read) and resumed once they are written. As a
 * {@link PushProducer} it is the child's output: {@link #pauseProducing()} stops the delivery of standard output and
 * error (and, after at most 32 KiB per stream, their reading, so the child blocks), {@link #resumeProducing()}
 * delivers what was held and reads on, {@link #stopProducing()} is {@link #loseConnection()}.
 *
 * <p>Every method must be called on the reactor thread.
 */
public interface ProcessTransport extends Consumer, PushProducer {

    /**
     * Queues bytes for the child's standard input. Dropped without error once the child has closed its standard
     * input or exited (as in Twisted). Reactor thread.
     *
     * @param data the bytes (the array is not kept)
     * @throws NullPointerException  if {@code data} is null
     * @throws IllegalStateException after {@link #closeStdin()} or {@link #loseConnection()}
     */
    @Override
    void write(byte[] data);

    /**
     * Queues each array for the child's standard input, in order; see {@link #write(byte[])}. Reactor thread.
     *
     * @param data the arrays
     * @throws IllegalStateException after {@link #closeStdin()} or {@link #loseConnection()}
     */
    void writeSequence(java.util.List<byte[]> data);

    /**
     * Closes the child's standard input once what was written is passed on;
     * {@link ProcessProtocol#inConnectionLost()} follows. Does nothing if it is closed already. Reactor thread.
     */
    void closeStdin();

    /**
     * Stops delivering the child's standard output; {@link ProcessProtocol#outConnectionLost()} follows on a later
     * pass of the loop. What the child still writes there is read and discarded, so it never blocks on it (Twisted
     * closes the pipe instead, so that a writing child gets {@code EPIPE}). Does nothing if it ended already.
     * Reactor thread.
     */
    void closeStdout();

    /**
     * Stops delivering the child's standard error, as {@link #closeStdout()} does for standard output. Reactor
     * thread.
     */
    void closeStderr();

    /**
     * Closes one of the child's streams: {@link #closeStdin()}, {@link #closeStdout()} or {@link #closeStderr()}
     * for 0, 1 or 2. Reactor thread.
     *
     * @param childFD 0, 1 or 2
     * @throws IllegalArgumentException for another descriptor (Weft gives a child only these three)
     */
    void closeChildFD(int childFD);

    /**
     * Closes standard input, output and error, as Twisted's {@code loseConnection} does; the child is not
     * signalled. Reactor thread.
     */
    void loseConnection();

    /**
     * Sends a signal to the child. {@code "TERM"} and {@code "KILL"} use the JDK's {@link Process#destroy()} and
     * {@link Process#destroyForcibly()}; the other names ({@code "INT"}, {@code "HUP"}, {@code "QUIT"},
     * {@code "USR1"}, {@code "USR2"}, {@code "STOP"}, {@code "CONT"}, {@code "ALRM"}, {@code "PIPE"}, {@code "WINCH"})
     * run the system's {@code kill -s NAME pid} and wait for it (a few milliseconds, on the reactor thread), which
     * needs a Unix-like system. Reactor thread.
     *
     * @param signalName the signal's name without {@code SIG}, e.g. {@code "TERM"}
     * @throws NullPointerException           if {@code signalName} is null
     * @throws IllegalArgumentException       if {@code signalName} is not one of the names above
     * @throws ProcessExitedAlreadyException  if the child has exited
     * @throws UnsupportedOperationException  for a name other than TERM and KILL where {@code kill} cannot be run
     */
    void signalProcess(String signalName);

    /**
     * The child's process id, empty once its exit has been reported (Twisted sets {@code pid} to None then).
     * Reactor thread.
     *
     * @return the pid, or empty
     */
    OptionalLong getPid();
}
