package dev.weft.examples.resp;

import dev.weft.protocol.Protocol;
import dev.weft.protocol.PushProducer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the RESP server: parses the requests it reads, runs them against the shared {@link RespStore}
 * and answers in order.
 *
 * <p>The replies to the commands of one {@code dataReceived} are written together at its end (or earlier, in
 * 64 KiB pieces, when they are large). A protocol error is answered with {@code -ERR Protocol error: ...}, after the
 * replies to the commands before it, and the connection is closed; so is QUIT, after its {@code +OK}. An exception
 * thrown by a command is answered with an error and logged; it never escapes to the transport.
 *
 * <p>Flow control: the protocol registers itself as the transport's streaming producer, and stops reading from the
 * client while the transport holds more than its write limit of replies not yet sent (a client that pipelines
 * without reading cannot make the server buffer without bound).
 */
final class RespProtocol extends Protocol implements PushProducer, RespParser.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(RespProtocol.class);

    private final RespStore store;
    private final long clientId;
    private final RespParser parser = new RespParser(this);
    private RespReply out;
    private RespSession session;
    private boolean closing;
    private final Object commandLock;

    /**
     * A protocol on {@code store}.
     *
     * @param store the store shared by the server's connections
     */
    RespProtocol(RespStore store) {
        this(store, 1);
    }

    /**
     * A protocol on {@code store} with a client id (reported by HELLO).
     *
     * @param store    the store shared by the server's connections
     * @param clientId the connection's id, unique in its server
     */
    RespProtocol(RespStore store, long clientId) {
        this(store, clientId, null);
    }

    /**
     * A protocol on {@code store} whose commands run holding {@code commandLock}: a store shared by the connections of
     * several reactors (a reactor group).
     *
     * @param store       the store shared by the server's connections
     * @param clientId    the connection's id, unique in its server
     * @param commandLock the lock every command holds, or null when one reactor thread runs them all
     */
    RespProtocol(RespStore store, long clientId, Object commandLock) {
        this.store = store;
        this.clientId = clientId;
        this.commandLock = commandLock;
    }

    @Override
    public void connectionMade() {
        out = new RespReply(transport);
        session = new RespSession(store, out, clientId);
        transport.registerProducer(this, true);
    }

    @Override
    public void dataReceived(byte[] data) {
        if (closing) {
            return;
        }
        try {
            parser.feed(data);
        } catch (RespParser.ProtocolException e) {
            out.error("ERR " + e.getMessage());
            closing = true;
        } catch (RuntimeException e) {
            // A bug of the parser: answer and close rather than let the transport drop the connection silently.
            LOG.warn("parsing a request failed", e);
            out.error("ERR internal error");
            closing = true;
        }
        out.flush();
        if (closing || parser.isDone()) {
            close();
        }
    }

    @Override
    public boolean command(byte[][] argv, int argc) {
        boolean goOn;
        try {
            if (commandLock == null) {
                goOn = RespCommands.execute(session, argv, argc);
            } else {
                synchronized (commandLock) {
                    goOn = RespCommands.execute(session, argv, argc);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("command '{}' failed", new String(argv[0], StandardCharsets.ISO_8859_1), e);
            out.error("ERR internal error: " + e);
            goOn = true;
        }
        out.flushIfFull();
        return goOn;
    }

    /**
     * How many bytes the parser holds between reads, for tests of bounded memory.
     *
     * @return the bytes retained
     */
    long retainedBytes() {
        return parser.retainedBytes();
    }

    private void close() {
        closing = true;
        transport.unregisterProducer();
        transport.loseConnection();
    }

    @Override
    public void connectionLost(Throwable reason) {
        closing = true;
    }

    /** The transport has too many replies to send: stop reading requests until it has sent them. */
    @Override
    public void pauseProducing() {
        if (!closing && !transport.isDisconnecting()) {
            transport.pauseProducing();
        }
    }

    /** The transport has sent its replies: read requests again. */
    @Override
    public void resumeProducing() {
        if (!closing && !transport.isDisconnecting()) {
            transport.resumeProducing();
        }
    }

    /** The connection is closing; nothing to stop. */
    @Override
    public void stopProducing() {
        closing = true;
    }
}
