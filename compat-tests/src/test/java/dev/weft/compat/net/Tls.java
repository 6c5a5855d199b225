package dev.weft.compat.net;

import dev.weft.testing.TestCertificates;
import javax.net.ssl.SSLContext;

/**
 * The TLS contexts of the networking tests, from one certificate made at test time for {@code localhost} with
 * {@link TestCertificates} (its names: {@code localhost}, {@code 127.0.0.1}, {@code ::1}), made once per JVM.
 */
public final class Tls {
    /** The common name of the test certificate. */
    public static final String COMMON_NAME = "localhost";

    private static volatile TestCertificates certificates;

    private Tls() {
    }

    private static TestCertificates certificates() {
        TestCertificates c = certificates;
        if (c == null) {
            synchronized (Tls.class) {
                c = certificates;
                if (c == null) {
                    c = TestCertificates.selfSigned(COMMON_NAME);
                    certificates = c;
                }
            }
        }
        return c;
    }

    /**
     * Makes the certificate now (keytool takes a second or so), so the first test does not pay for it inside its
     * time limit.
     */
    public static void warmUp() {
        certificates();
    }

    /**
     * A server context with the test certificate.
     *
     * @return a new context
     */
    public static SSLContext serverContext() {
        return certificates().serverContext();
    }

    /**
     * A client context that trusts exactly the test certificate.
     *
     * @return a new context
     */
    public static SSLContext clientContext() {
        return certificates().clientContext();
    }

    /**
     * A client context that trusts nothing.
     *
     * @return a new context
     */
    public static SSLContext trustNothing() {
        return TestCertificates.trustNothing();
    }
}
