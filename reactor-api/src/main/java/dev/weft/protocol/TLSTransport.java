package dev.weft.protocol;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/**
 * A TCP {@link Transport} that can switch to TLS (Twisted's {@code ITLSTransport}). The transports of
 * {@code ReactorTCP} and {@code ReactorSSL} implement it once the backends have their networking work.
 *
 * <p>Call every method on the reactor thread.
 */
public interface TLSTransport extends Transport {

    /**
     * Starts TLS on this connection: data written before the call goes out in the clear, data written after it is
     * encrypted once the handshake is done. Either side may call it (the peer must do the same). In client mode the
     * host name the connection was made to is verified against the peer's certificate. A failed handshake ends the
     * connection with {@code connectionLost} whose reason carries the {@code javax.net.ssl.SSLException}; no
     * application data is delivered after it.
     *
     * @param context    the TLS context (keys, trust)
     * @param clientMode true to act as the TLS client, false as the server
     * @throws NullPointerException  if {@code context} is null
     * @throws IllegalStateException if TLS was started already
     */
    void startTLS(SSLContext context, boolean clientMode);

    /**
     * The TLS session, once the handshake is done.
     *
     * @return the session, or {@code null} when TLS was not started or its handshake has not finished
     */
    SSLSession getSession();
}
