package dev.weft.compat.net;

import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A protocol that records what happens to it (the collecting protocol of the networking tests): an event list
 * ({@code made}, {@code data} — consecutive chunks collapse into one entry —, {@code readLost}, {@code writeLost},
 * {@code lost:ReasonClass}), the bytes received (counted and digested; kept up to a limit), and the reasons given
 * to {@code connectionLost}. Optional hooks add behaviour ({@link #echo()}, {@link #onMade}, {@link #onData},
 * {@link #onLost}); a hook that throws throws out of the callback, as protocol code would.
 *
 * <p>Every callback pokes its {@link Net}, so waits on a recorder's state end at once. Callbacks run on the reactor
 * thread; read the state on the test thread after a wait has returned.
 */
public class Recorder extends Protocol {
    /** How many received bytes {@link #bytes()} keeps by default. */
    public static final int DEFAULT_KEEP = 1 << 20;

    private final Net net;
    private final String name;
    private final List<String> events = new ArrayList<>();
    private final List<List<String>> mirrors = new ArrayList<>(1);
    private final List<Throwable> reasons = new ArrayList<>();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Bytes.Digest digest = new Bytes.Digest();
    private int keepLimit = DEFAULT_KEEP;
    private int made;
    private long dataCalls;
    private Consumer<? super Recorder> onMade;
    private BiConsumer<? super Recorder, byte[]> onData;
    private BiConsumer<? super Recorder, Throwable> onLost;
    private Thread thread;

    /**
     * Creates a recorder.
     *
     * @param net  poked after each event (may be null)
     * @param name for messages ("client", "server")
     */
    public Recorder(Net net, String name) {
        this.net = net;
        this.name = name;
    }

    // ---------------------------------------------------------------- behaviour

    /**
     * Writes back every chunk received.
     *
     * @return this
     */
    public Recorder echo() {
        return onData((p, data) -> p.transport().write(data));
    }

    /**
     * Runs {@code hook} in {@code connectionMade}, after recording it.
     *
     * @param hook the hook
     * @return this
     */
    public Recorder onMade(Consumer<? super Recorder> hook) {
        this.onMade = hook;
        return this;
    }

    /**
     * Runs {@code hook} in {@code dataReceived}, after recording the chunk.
     *
     * @param hook the hook
     * @return this
     */
    public Recorder onData(BiConsumer<? super Recorder, byte[]> hook) {
        this.onData = hook;
        return this;
    }

    /**
     * Runs {@code hook} in {@code connectionLost}, after recording it.
     *
     * @param hook the hook
     * @return this
     */
    public Recorder onLost(BiConsumer<? super Recorder, Throwable> hook) {
        this.onLost = hook;
        return this;
    }

    /**
     * Sets how many received bytes {@link #bytes()} keeps (all are counted and digested).
     *
     * @param limit the limit
     * @return this
     */
    public Recorder keep(int limit) {
        this.keepLimit = limit;
        return this;
    }

    /**
     * Also appends every event to {@code log} (e.g. a client factory's, to check the order of both).
     *
     * @param log the list
     * @return this
     */
    public Recorder mirrorTo(List<String> log) {
        mirrors.add(log);
        return this;
    }

    // ---------------------------------------------------------------- callbacks

    @Override
    public void connectionMade() {
        made++;
        thread = Thread.currentThread();
        event("made");
        if (onMade != null) {
            onMade.accept(this);
        }
        poke();
    }

    @Override
    public void dataReceived(byte[] data) {
        dataCalls++;
        if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
            event("data");
        }
        digest.update(data);
        if (kept.size() + data.length <= keepLimit) {
            kept.write(data, 0, data.length);
        }
        if (onData != null) {
            onData.accept(this, data);
        }
        poke();
    }

    @Override
    public void connectionLost(Throwable reason) {
        reasons.add(reason);
        event("lost:" + (reason == null ? "null" : reason.getClass().getSimpleName()));
        if (onLost != null) {
            onLost.accept(this, reason);
        }
        poke();
    }

    /**
     * Records an event (subclasses add their own).
     *
     * @param e the event
     */
    protected final void event(String e) {
        events.add(e);
        for (List<String> m : mirrors) {
            m.add(e);
        }
    }

    /** Pokes the {@link Net}, if any. */
    protected final void poke() {
        if (net != null) {
            net.poke();
        }
    }

    // ---------------------------------------------------------------- state

    /**
     * The name given at construction.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The events so far.
     *
     * @return a copy
     */
    public List<String> events() {
        return new ArrayList<>(events);
    }

    /**
     * How many times {@code connectionMade} ran.
     *
     * @return the count
     */
    public int madeCount() {
        return made;
    }

    /**
     * The thread {@code connectionMade} ran on.
     *
     * @return the thread, or null
     */
    public Thread thread() {
        return thread;
    }

    /**
     * How many times {@code dataReceived} ran.
     *
     * @return the count
     */
    public long dataCalls() {
        return dataCalls;
    }

    /**
     * How many bytes {@code dataReceived} got.
     *
     * @return the count
     */
    public long received() {
        return digest.length();
    }

    /**
     * The SHA-256 of the bytes received, with their count.
     *
     * @return e.g. {@code "1048576 bytes, sha256 ab12..."}
     */
    public String digest() {
        return digest.toString();
    }

    /**
     * The bytes received.
     *
     * @return the bytes
     * @throws AssertionError if more were received than this recorder keeps
     */
    public byte[] bytes() {
        if (received() > kept.size()) {
            fail(name + " received " + received() + " bytes, more than it keeps (" + keepLimit + ")");
        }
        return kept.toByteArray();
    }

    /**
     * The bytes received, as UTF-8.
     *
     * @return the text
     */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /**
     * How many times {@code connectionLost} ran.
     *
     * @return the count
     */
    public int lostCount() {
        return reasons.size();
    }

    /**
     * Whether {@code connectionLost} ran.
     *
     * @return true once it ran
     */
    public boolean isLost() {
        return !reasons.isEmpty();
    }

    /**
     * The reason given to the first {@code connectionLost}.
     *
     * @return the reason, or null if it did not run
     */
    public Throwable reason() {
        return reasons.isEmpty() ? null : reasons.get(0);
    }

    /**
     * Every reason given to {@code connectionLost}.
     *
     * @return the reasons
     */
    public List<Throwable> reasons() {
        return Collections.unmodifiableList(reasons);
    }

    /**
     * Describes the state, for failure messages.
     *
     * @return e.g. {@code "client: events [made, data, lost:ConnectionDone], received 5 bytes, reasons [...]"}
     */
    public String describe() {
        StringBuilder b = new StringBuilder(name).append(": events ").append(events).append(", received ")
                .append(received()).append(" bytes in ").append(dataCalls).append(" chunks");
        if (!reasons.isEmpty()) {
            b.append(", connectionLost reasons [");
            for (int i = 0; i < reasons.size(); i++) {
                b.append(i == 0 ? "" : "; ").append(Reasons.describe(reasons.get(i)));
            }
            b.append(']');
        }
        return b.toString();
    }

    /**
     * Fails unless {@code connectionLost} ran exactly once, as the last event, with a reason of one of
     * {@code types}.
     *
     * @param types the acceptable reason classes
     */
    public final void assertLostOnceWith(Class<?>... types) {
        if (reasons.size() != 1) {
            fail(name + ": connectionLost must run exactly once, ran " + reasons.size() + " times; " + describe());
        }
        if (!events.get(events.size() - 1).startsWith("lost:")) {
            fail(name + ": no callback may follow connectionLost; " + describe());
        }
        Reasons.assertOneOf(name + "'s connectionLost reason", reasons.get(0), types);
    }

    @Override
    public String toString() {
        return describe();
    }
}
