package dev.weft.reactor;

/** A {@link FileDescriptor} watched for reading with {@link ReactorFDSet#addReader(ReadDescriptor)}. */
public interface ReadDescriptor extends FileDescriptor {

    /**
     * Called on the reactor thread, once per pass of the loop, for as long as the channel is readable
     * (level-triggered).
     *
     * @throws Exception to end the descriptor: it is removed as reader and writer, and
     *                   {@link #connectionLost(Throwable)} gets the exception; the loop goes on
     */
    void doRead() throws Exception;
}
