package dev.weft.compat.net;

import dev.weft.protocol.HalfCloseableProtocol;
import java.util.function.Consumer;

/**
 * A {@link Recorder} that supports half-close: it records {@code readLost} and {@code writeLost} events, and can
 * act on the peer's end of stream with {@link #onReadLost}.
 */
public class HalfCloseRecorder extends Recorder implements HalfCloseableProtocol {
    private int readLost;
    private int writeLost;
    private Consumer<? super HalfCloseRecorder> onReadLost;

    /**
     * Creates a recorder.
     *
     * @param net  poked after each event
     * @param name for messages
     */
    public HalfCloseRecorder(Net net, String name) {
        super(net, name);
    }

    /**
     * Runs {@code hook} in {@code readConnectionLost}, after recording it.
     *
     * @param hook the hook
     * @return this
     */
    public HalfCloseRecorder onReadLost(Consumer<? super HalfCloseRecorder> hook) {
        this.onReadLost = hook;
        return this;
    }

    @Override
    public void readConnectionLost() {
        readLost++;
        event("readLost");
        if (onReadLost != null) {
            onReadLost.accept(this);
        }
        poke();
    }

    @Override
    public void writeConnectionLost() {
        writeLost++;
        event("writeLost");
        poke();
    }

    /**
     * How many times {@code readConnectionLost} ran.
     *
     * @return the count
     */
    public int readLostCount() {
        return readLost;
    }

    /**
     * How many times {@code writeConnectionLost} ran.
     *
     * @return the count
     */
    public int writeLostCount() {
        return writeLost;
    }
}
