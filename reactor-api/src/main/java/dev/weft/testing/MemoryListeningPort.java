package dev.weft.testing;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ListeningPort;
import java.net.InetSocketAddress;

/**
 * The {@link ListeningPort} that {@link MemoryReactor#listenTCP} and {@link MemoryReactor#listenSSL} return: it
 * only records whether {@link #stopListening()} was called. Not thread-safe.
 */
public final class MemoryListeningPort implements ListeningPort {

    private final InetSocketAddress host;
    private boolean listening = true;

    MemoryListeningPort(InetSocketAddress host) {
        this.host = host;
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    /**
     * Records that the port stopped.
     *
     * @return a Deferred that has fired with null
     */
    @Override
    public Deferred<Void> stopListening() {
        listening = false;
        return Deferred.succeed(null);
    }

    /**
     * Whether {@link #stopListening()} has not been called.
     *
     * @return whether the port is still listening
     */
    public boolean isListening() {
        return listening;
    }

    @Override
    public String toString() {
        return "MemoryListeningPort[" + host + (listening ? "" : ", stopped") + "]";
    }
}
