package dev.weft.compat.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A stand-in for {@code dev.weft.testing.TestCertificates} (being added to reactor-api), with the same method names,
 * so that switching to it is a rename in {@link Tls}: a self-signed certificate made at test time with the JDK's
 * {@code keytool} (EC P-256, PKCS12, subject alternative names {@code dns:localhost} and {@code ip:127.0.0.1}
 * only), one per common name per JVM.
 */
public final class Certificates {
    private static final Map<String, Certificates> CACHE = new ConcurrentHashMap<>();
    private static final char[] PASSWORD = "weft-test".toCharArray();
    private static final String ALIAS = "weft";
    /** The names the certificate is valid for. 127.0.0.2 is deliberately not one of them. */
    static final String SUBJECT_ALT_NAMES = "dns:localhost,ip:127.0.0.1";

    private final KeyStore keys;
    private final X509Certificate certificate;

    private Certificates(KeyStore keys) throws GeneralSecurityException {
        this.keys = keys;
        this.certificate = (X509Certificate) keys.getCertificate(ALIAS);
    }

    /**
     * The self-signed certificate for {@code commonName}, made on first use (about a second: keytool runs in a
     * process of its own) and cached for the JVM.
     *
     * @param commonName the subject's CN
     * @return the certificate and its key
     * @throws IllegalStateException if keytool fails
     */
    public static Certificates selfSigned(String commonName) {
        return CACHE.computeIfAbsent(commonName, Certificates::generate);
    }

    private static Certificates generate(String commonName) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("weft-certs");
            Path store = dir.resolve("server.p12");
            String exe = System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool";
            Path keytool = Path.of(System.getProperty("java.home"), "bin", exe);
            List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=" + commonName, "-ext", "SAN=" + SUBJECT_ALT_NAMES, "-validity", "30",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] output;
            try (InputStream in = p.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed with exit code " + p.exitValue() + ": "
                        + new String(output, StandardCharsets.UTF_8).trim() + "; command " + command);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD);
            }
            return new Certificates(ks);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate with keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a test certificate", e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /**
     * The certificate.
     *
     * @return the self-signed certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A server context with this certificate and its key (no client authentication).
     *
     * @return a new context
     */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client context that trusts exactly this certificate.
     *
     * @return a new context
     */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A context that trusts no certificate at all: every handshake it takes part in as a client fails.
     *
     * @return a new context
     */
    public static SSLContext trustNothing() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new TrustNothing()}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class TrustNothing extends X509ExtendedTrustManager {
        private static CertificateException refuse() {
            return new CertificateException("this test context trusts no certificate");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw refuse();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
