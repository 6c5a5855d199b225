package dev.weft.reactor;

/** A {@link FileDescriptor} watched for writing with {@link ReactorFDSet#addWriter(WriteDescriptor)}. */
public interface WriteDescriptor extends FileDescriptor {

    /**
     * Called on the reactor thread, once per pass of the loop, for as long as the channel is writable
     * (level-triggered).
     *
     * @throws Exception to end the descriptor: it is removed as reader and writer, and
     *                   {@link #connectionLost(Throwable)} gets the exception; the loop goes on
     */
    void doWrite() throws Exception;
}
