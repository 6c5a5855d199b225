package dev.weft.reactor.spi;

import dev.weft.protocol.ConnectionLost;
import dev.weft.reactor.DelayedCall;

/**
 * The end of a {@link StreamTransport}: closing the socket, and {@code connectionLost} exactly once, by the one rule
 * of {@link StreamTransport}'s class comment (at once, or in a later pass when a call into the connection is under
 * way), then the producer's {@code stopProducing}, the connector's {@code clientConnectionLost} and the backend's
 * {@code connectionEnded}; at reactor shutdown, at once. Reactor thread only.
 */
final class ConnectionLoss {

    private final StreamTransport t;
    /** The later pass that gives {@code connectionLost}, while one is scheduled, and its reason. */
    private DelayedCall delivery;
    private Throwable reason;

    ConnectionLoss(StreamTransport t) {
        this.t = t;
    }

    /**
     * Closes the socket now and gives {@code connectionLost} with {@code why}: at once, or in a later pass if a call
     * into the connection is under way. Nothing if the connection is lost already.
     *
     * @param why   the reason
     * @param abort whether to reset the connection
     */
    void finish(Throwable why, boolean abort) {
        if (t.state.lost()) {
            return;
        }
        t.state = ConnectionState.LOST;
        t.read.reading = false;
        closeQuietly(abort);
        if (t.callsUnderWay > 0) {
            reason = why;
            delivery = t.reactor().callLater(0, this::deliverPending);
        } else {
            deliver(why);
        }
    }

    /**
     * The reactor shuts down: a loss waiting for its pass is given now; an open connection is closed and lost with
     * {@code why}.
     *
     * @param why the reactor's reason
     */
    void reactorShutdown(ConnectionLost why) {
        if (t.state == ConnectionState.ENDED) {
            return;
        }
        if (delivery != null) {
            delivery.cancel();
            deliverPending();
            return;
        }
        t.state = ConnectionState.LOST;
        closeQuietly(false);
        deliver(why);
    }

    /**
     * Closes the backend's socket; an error is logged.
     *
     * @param abort whether to reset the connection
     */
    void closeQuietly(boolean abort) {
        t.callsUnderWay++;
        try {
            t.closeChannel(abort);
        } catch (Throwable e) {
            t.reactor().logError("while closing " + t, e);
        } finally {
            t.callsUnderWay--;
        }
    }

    private void deliverPending() {
        delivery = null;
        deliver(reason);
    }

    private void deliver(Throwable why) {
        if (t.state == ConnectionState.ENDED) {
            return;
        }
        t.state = ConnectionState.ENDED;
        ReactorBase reactor = t.reactor();
        reactor.unregister(t);
        t.read.clear();
        RegisteredProducer p = t.producer;
        t.producer = null;
        if (p != null) {
            t.stopQuietly(p.producer);
        }
        if (t.protocol != null) {
            try {
                t.protocol.connectionLost(why);
            } catch (Throwable e) {
                reactor.logError("in connectionLost of " + t.protocol, e);
            }
            reactor.flight().closed(t, why);
        }
        if (t.connector != null) {
            t.connector.transportLost(why);
        }
        try {
            t.connectionEnded();
        } catch (Throwable e) {
            reactor.logError("while forgetting " + t, e);
        }
    }
}
