package dev.weft.compat.harness;

import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.WriteDescriptor;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A descriptor that is both a {@link ReadDescriptor} and a {@link WriteDescriptor} (add it as either or both),
 * counts its calls, records the threads they ran on and the {@code connectionLost} reasons, and runs a
 * configurable action on each {@code doRead}/{@code doWrite}. Use on the reactor thread only.
 */
public final class RecordingDescriptor implements ReadDescriptor, WriteDescriptor {

    /** What a {@code doRead} or {@code doWrite} does. */
    @FunctionalInterface
    public interface Action {
        /**
         * Runs the action.
         *
         * @param self the descriptor being called
         * @throws Exception to end the descriptor
         */
        void run(RecordingDescriptor self) throws Exception;
    }

    private final String name;
    private final SelectableChannel channel;
    private Action onRead = self -> { };
    private Action onWrite = self -> { };
    private int reads;
    private int writes;
    private final List<Throwable> lost = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Creates a descriptor.
     *
     * @param name    a label for messages
     * @param channel the channel to watch
     */
    public RecordingDescriptor(String name, SelectableChannel channel) {
        this.name = Objects.requireNonNull(name, "name");
        this.channel = channel;
    }

    /**
     * Sets what {@code doRead} does (after counting the call).
     *
     * @param action the action
     * @return this descriptor
     */
    public RecordingDescriptor onRead(Action action) {
        this.onRead = Objects.requireNonNull(action, "action");
        return this;
    }

    /**
     * Sets what {@code doWrite} does (after counting the call).
     *
     * @param action the action
     * @return this descriptor
     */
    public RecordingDescriptor onWrite(Action action) {
        this.onWrite = Objects.requireNonNull(action, "action");
        return this;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public void doRead() throws Exception {
        reads++;
        threads.add(Thread.currentThread());
        onRead.run(this);
    }

    @Override
    public void doWrite() throws Exception {
        writes++;
        threads.add(Thread.currentThread());
        onWrite.run(this);
    }

    @Override
    public void connectionLost(Throwable reason) {
        threads.add(Thread.currentThread());
        lost.add(reason);
    }

    @Override
    public String logPrefix() {
        return name;
    }

    /**
     * How many times {@code doRead} was called.
     *
     * @return the count
     */
    public int reads() {
        return reads;
    }

    /**
     * How many times {@code doWrite} was called.
     *
     * @return the count
     */
    public int writes() {
        return writes;
    }

    /**
     * The reasons {@code connectionLost} was called with, in order.
     *
     * @return a copy
     */
    public List<Throwable> lost() {
        return List.copyOf(lost);
    }

    /**
     * The threads every callback of this descriptor ran on.
     *
     * @return a copy
     */
    public List<Thread> threads() {
        return List.copyOf(threads);
    }

    @Override
    public String toString() {
        return name;
    }
}
