package dev.weft.reactor;

import java.util.List;

/**
 * The set of descriptors the reactor watches for readiness. Readiness is level-triggered: a descriptor is called in
 * every pass of the loop for as long as its channel is ready.
 *
 * <p>Call on the reactor thread (or before the reactor runs).
 */
public interface ReactorFDSet {

    /**
     * Watches {@code reader} for reading. Adding it twice does nothing.
     *
     * @param reader the descriptor
     * @throws NullPointerException     if {@code reader} is null
     * @throws IllegalArgumentException if its channel is null or in blocking mode
     */
    void addReader(ReadDescriptor reader);

    /**
     * Watches {@code writer} for writing. Adding it twice does nothing.
     *
     * @param writer the descriptor
     * @throws NullPointerException     if {@code writer} is null
     * @throws IllegalArgumentException if its channel is null or in blocking mode
     */
    void addWriter(WriteDescriptor writer);

    /**
     * Stops watching {@code reader} for reading; it is not called again. Removing an unknown descriptor does
     * nothing.
     *
     * @param reader the descriptor
     */
    void removeReader(ReadDescriptor reader);

    /**
     * Stops watching {@code writer} for writing; it is not called again. Removing an unknown descriptor does
     * nothing.
     *
     * @param writer the descriptor
     */
    void removeWriter(WriteDescriptor writer);

    /**
     * Stops watching every descriptor the user added (not the reactor's internal ones).
     *
     * @return the descriptors that were watched, each once
     */
    List<FileDescriptor> removeAll();

    /**
     * The descriptors watched for reading.
     *
     * @return a snapshot list
     */
    List<ReadDescriptor> getReaders();

    /**
     * The descriptors watched for writing.
     *
     * @return a snapshot list
     */
    List<WriteDescriptor> getWriters();
}
