package dev.weft.reactor.spi;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Makes the {@code SSLEngine} of a connection that starts TLS, the same for every backend. Any thread. */
final class TlsEngines {

    private TlsEngines() {
    }

    /**
     * An engine for one connection: given the peer's host name and port when known in client mode (for session
     * resumption and SNI), with host-name verification ({@code HTTPS} endpoint identification) when asked and known.
     *
     * @param context        the TLS context
     * @param clientMode     whether this side is the TLS client
     * @param hostname       the host name connected to, or null
     * @param port           the peer's port
     * @param verifyHostname whether to check the host name against the peer's certificate
     * @return the engine, in the mode asked
     */
    static SSLEngine forConnection(SSLContext context, boolean clientMode, String hostname, int port,
            boolean verifyHostname) {
        SSLEngine engine = hostname != null && clientMode
                ? context.createSSLEngine(hostname, port)
                : context.createSSLEngine();
        engine.setUseClientMode(clientMode);
        if (clientMode && verifyHostname && hostname != null) {
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
        return engine;
    }
}
