package dev.weft.stream;

import dev.weft.defer.CancelledException;
import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.internal.Loggers;
import org.slf4j.Logger;

/**
 * The protocol under a stream connection: feeds the {@link StreamReader}, gives the transport's flow control to the
 * {@link StreamWriter}, and runs the server's {@link StreamHandler} (asyncio's {@code StreamReaderProtocol}). Reactor
 * thread.
 */
final class StreamProtocol extends Protocol implements HalfCloseableProtocol {
    private static final Logger LOG = Loggers.get(StreamProtocol.class);

    private final StreamHandler handler;
    private final StreamReader reader;
    private StreamConnection connection;

    StreamProtocol(StreamHandler handler, int limit) {
        this.handler = handler;
        this.reader = new StreamReader(limit);
    }

    /** The streams, once the connection is made; null before. */
    StreamConnection connection() {
        return connection;
    }

    @Override
    public void connectionMade() {
        StreamWriter writer = new StreamWriter(transport);
        reader.attach(transport);
        connection = new StreamConnection(reader, writer);
        writer.registerProducer();
        if (handler != null) {
            Deferred.fromCoroutine(() -> {
                handler.handle(reader, writer);
                return null;
            }).addErrback(failure -> {
                handlerFailed(writer, failure);
                return null;
            });
        }
    }

    private void handlerFailed(StreamWriter writer, Throwable failure) {
        if (writer.isLossReason(failure) || (failure instanceof CancelledException && writer.isClosing())) {
            LOG.debug("Stream handler ended with the loss of its connection with {} (on {})", transport.getPeer(),
                    transport.getHost(), failure);
        } else {
            LOG.error("Stream handler failed on the connection with {} (on {}); aborting the connection",
                    transport.getPeer(), transport.getHost(), failure);
        }
        writer.abort();
    }

    @Override
    public void dataReceived(byte[] data) {
        reader.feedData(data);
    }

    @Override
    public void readConnectionLost() {
        reader.feedEof();
    }

    @Override
    public void writeConnectionLost() {
        // Nothing to do: the writer refuses writes after writeEof already.
    }

    @Override
    public void connectionLost(Throwable reason) {
        if (connection != null) {
            connection.writer().connectionLost(reason);
        }
        if (reason instanceof ConnectionDone) {
            reader.feedEof();
        } else {
            reader.feedFailure(reason);
        }
    }

    @Override
    public String toString() {
        return "StreamProtocol[" + (handler != null ? handler : "client") + "]";
    }
}
