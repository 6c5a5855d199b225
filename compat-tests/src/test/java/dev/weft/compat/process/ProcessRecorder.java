package dev.weft.compat.process;

import dev.weft.defer.Deferred;
import dev.weft.process.ProcessDone;
import dev.weft.process.ProcessProtocol;
import dev.weft.process.ProcessTerminated;
import dev.weft.process.ProcessTransport;
import dev.weft.protocol.ConnectionClosedException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link ProcessProtocol} that records its callbacks as Twisted's oracle prints them ({@code made},
 * {@code out:...}, {@code err:...}, {@code inLost}, {@code outLost}, {@code errLost},
 * {@code exited:Type:exitCode:signal}, {@code ended:Type:exitCode:signal}), the threads they ran on, and fires
 * {@link #ended} with the reason of {@code processEnded}.
 */
public class ProcessRecorder extends ProcessProtocol {
    /** Fired by processEnded with its reason. */
    public final Deferred<ConnectionClosedException> ended = new Deferred<>();
    private final List<String> events = new ArrayList<>();
    private final Set<Thread> threads = new LinkedHashSet<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final boolean recordData;
    private Consumer<ProcessTransport> onMade = t -> { };
    private long outBytes;
    private ConnectionClosedException exitedReason;

    /** A recorder that records each chunk as an event. */
    public ProcessRecorder() {
        this(true);
    }

    /**
     * A recorder.
     *
     * @param recordData whether each chunk is an event (false for floods: only counted)
     */
    public ProcessRecorder(boolean recordData) {
        this.recordData = recordData;
    }

    /**
     * What to do in connectionMade.
     *
     * @param f given the transport
     * @return this
     */
    public ProcessRecorder onMade(Consumer<ProcessTransport> f) {
        this.onMade = f;
        return this;
    }

    private void record(String event) {
        threads.add(Thread.currentThread());
        events.add(event);
    }

    /** Formats a reason as the oracle does: {@code Type:exitCode:signal}, None for absent. */
    public static String describe(ConnectionClosedException r) {
        if (r instanceof ProcessDone d) {
            return "ProcessDone:0:None";
        }
        if (r instanceof ProcessTerminated t) {
            return "ProcessTerminated:" + (t.exitCode().isPresent() ? t.exitCode().getAsInt() : "None") + ":"
                    + (t.signal().isPresent() ? t.signal().getAsInt() : "None");
        }
        return String.valueOf(r);
    }

    @Override
    public void connectionMade() {
        record("made");
        onMade.accept(transport);
    }

    @Override
    public void outReceived(byte[] data) {
        outBytes += data.length;
        if (recordData) {
            record("out:" + new String(data, StandardCharsets.UTF_8).strip());
            out.writeBytes(data);
        } else {
            threads.add(Thread.currentThread());
        }
    }

    @Override
    public void errReceived(byte[] data) {
        record("err:" + new String(data, StandardCharsets.UTF_8).strip());
        err.writeBytes(data);
    }

    @Override
    public void inConnectionLost() {
        record("inLost");
    }

    @Override
    public void outConnectionLost() {
        record("outLost");
    }

    @Override
    public void errConnectionLost() {
        record("errLost");
    }

    @Override
    public void processExited(ConnectionClosedException reason) {
        exitedReason = reason;
        record("exited:" + describe(reason));
    }

    @Override
    public void processEnded(ConnectionClosedException reason) {
        record("ended:" + describe(reason));
        ended.callback(reason);
    }

    /** @return the events so far */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** @return the threads the callbacks ran on */
    public Set<Thread> threads() {
        return Set.copyOf(threads);
    }

    /** @return standard output, as text */
    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** @return standard error, as text */
    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** @return bytes received on standard output */
    public long outBytes() {
        return outBytes;
    }

    /** @return the reason given to processExited, or null */
    public ConnectionClosedException exitedReason() {
        return exitedReason;
    }
}
