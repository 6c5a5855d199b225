package dev.weft.compat.net;

import javax.net.ssl.SSLContext;

/**
 * The TLS contexts of the networking tests, from one certificate made at test time for {@code localhost}.
 *
 * <p>This is the only class that names the certificate source: when {@code dev.weft.testing.TestCertificates}
 * lands in reactor-api, replace {@link Certificates} by it here (same method names).
 */
public final class Tls {
    /** The common name of the test certificate. */
    public static final String COMMON_NAME = "localhost";

    private Tls() {
    }

    /**
     * Makes the certificate now (keytool takes a second or so), so the first test does not pay for it inside its
     * time limit.
     */
    public static void warmUp() {
        Certificates.selfSigned(COMMON_NAME);
    }

    /**
     * A server context with the test certificate.
     *
     * @return a new context
     */
    public static SSLContext serverContext() {
        return Certificates.selfSigned(COMMON_NAME).serverContext();
    }

    /**
     * A client context that trusts exactly the test certificate.
     *
     * @return a new context
     */
    public static SSLContext clientContext() {
        return Certificates.selfSigned(COMMON_NAME).clientContext();
    }

    /**
     * A client context that trusts nothing.
     *
     * @return a new context
     */
    public static SSLContext trustNothing() {
        return Certificates.trustNothing();
    }
}
