package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.reactor.DelayedCall;

/**
 * How a port stops, written once for TCP and UDP ports: {@code stopListening()} closes the socket at once and,
 * on the next pass, runs the last callback (the factory's {@code doStop} or the protocol's {@code stopProtocol})
 * and fires its Deferred: with null, or with the exception the last callback threw (Twisted's
 * {@code Port.connectionLost} lets {@code stopFactory}'s exception fail it); a second call returns a fired Deferred;
 * at reactor shutdown a pending stop completes at once. An exception of the last callback that no Deferred waits for
 * (a stop made by the reactor's shutdown) is logged. Reactor thread only.
 */
final class PortStop {

    private final ReactorBase reactor;
    private final ReactorResource port;
    private final Runnable closeSocket;
    private final Runnable lastCallback;
    private final String lastCallbackName;

    private boolean stopped;
    private DelayedCall pending;
    private Deferred<Void> done;

    /**
     * @param reactor          the reactor
     * @param port             the port, registered with the reactor until it closes
     * @param closeSocket      closes the socket, releasing the port
     * @param lastCallback     the factory's or protocol's last callback, run once the port is closed; what it
     *                         throws fails the Deferred of {@code stopListening()}
     * @param lastCallbackName where an exception of {@code lastCallback} is logged when no Deferred waits for it
     *                         ("in stopFactory of ...")
     */
    PortStop(ReactorBase reactor, ReactorResource port, Runnable closeSocket, Runnable lastCallback,
            String lastCallbackName) {
        this.reactor = reactor;
        this.port = port;
        this.closeSocket = closeSocket;
        this.lastCallback = lastCallback;
        this.lastCallbackName = lastCallbackName;
    }

    boolean isStopped() {
        return stopped;
    }

    /** {@code stopListening()}: see the class comment. */
    Deferred<Void> stop() {
        reactor.checkThread("stopListening");
        if (stopped) {
            // ListeningPort: calling it again returns a Deferred that has fired, even while the first is under way.
            return Deferred.succeed(null);
        }
        stopped = true;
        close();
        done = new Deferred<>();
        pending = reactor.callLater(0, () -> {
            pending = null;
            finish();
        });
        return done;
    }

    /** Reactor shutdown: completes a pending stop, or stops now. */
    void shutdown() {
        if (pending != null) {
            pending.cancel();
            pending = null;
            finish();
        } else if (!stopped) {
            stopped = true;
            close();
            finish();
        }
    }

    private void close() {
        reactor.unregister(port);
        try {
            closeSocket.run();
        } catch (Throwable t) {
            reactor.logError("while closing " + port, t);
        }
    }

    private void finish() {
        Throwable failure = null;
        try {
            lastCallback.run();
        } catch (Throwable t) {
            failure = t;
        }
        if (done != null && !done.isCalled()) {
            if (failure != null) {
                done.errback(failure);
            } else {
                done.callback(null);
            }
        } else if (failure != null) {
            reactor.logError(lastCallbackName, failure);
        }
    }
}
