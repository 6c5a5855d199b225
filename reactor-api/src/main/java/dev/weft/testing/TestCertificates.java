package dev.weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A self-signed TLS key and certificate made at test time, <b>for tests only</b>: nothing here is fit to protect
 * real traffic, and no private key is ever checked in.
 *
 * <p>{@link #selfSigned(String)} runs the running JDK's own {@code keytool} (from {@code java.home}) to make an RSA
 * 2048-bit key pair and a certificate with subject {@code CN=<name>}, valid for two days from now, whose
 * SubjectAlternativeName lists {@code localhost}, {@code 127.0.0.1} and {@code ::1} (and any extra names given), so
 * a client that verifies host names accepts it for a loopback connection. The keystore is written to a temporary
 * directory, loaded into memory, and deleted at once.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.selfSigned("weft-test");
 * reactor.listenSSL(0, factory, certs.serverContext());
 * reactor.connectSSL("localhost", port, clientFactory, certs.clientContext());
 * }</pre>
 *
 * <p>Each call of {@code selfSigned} starts a process and takes about a second: make one per test class. Each call
 * of {@link #serverContext()} and {@link #clientContext()} returns a new {@link SSLContext} (with its own session
 * cache, so one test cannot resume another's TLS session). Instances are immutable and may be shared between
 * threads.
 */
public final class TestCertificates {

    /** The names every certificate carries in its SubjectAlternativeName extension. */
    private static final String LOOPBACK_NAMES = "dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1";

    private static final String ALIAS = "weft-test";
    private static final String TEMP_PREFIX = "weft-test-cert-";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final Pattern TYPED_NAME = Pattern.compile("(?i)(dns|ip|uri|email):.+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyStore keyStore;
    private final char[] password;
    private final X509Certificate certificate;

    private TestCertificates(KeyStore keyStore, char[] password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    /**
     * Makes a new self-signed key and certificate for {@code CN=commonName}, valid for {@code localhost},
     * {@code 127.0.0.1} and {@code ::1}. For tests only.
     *
     * @param commonName the subject's common name, such as {@code "weft-test"}
     * @return the key and certificate
     * @throws IllegalArgumentException if {@code commonName} is empty or holds control characters
     * @throws UncheckedIOException     if the temporary files cannot be written or read, or keytool cannot start
     * @throws IllegalStateException    if keytool fails or does not finish within 60 seconds (the message holds its
     *                                  output), or the JDK lacks PKCS12 or TLS
     */
    public static TestCertificates selfSigned(String commonName) {
        return selfSigned(commonName, new String[0]);
    }

    /**
     * Makes a new self-signed key and certificate for {@code CN=commonName}, valid for {@code localhost},
     * {@code 127.0.0.1}, {@code ::1} and each extra name. For tests only.
     *
     * @param commonName the subject's common name, such as {@code "weft-test"}
     * @param extraNames more SubjectAlternativeName entries: a host name ({@code "example.test"}), an IP literal
     *                   ({@code "10.0.0.1"}, {@code "fe80::1"}), or an entry already typed the way keytool writes it
     *                   ({@code "dns:*.example.test"}, {@code "ip:10.0.0.1"}, {@code "uri:..."}, {@code "email:..."})
     * @return the key and certificate
     * @throws IllegalArgumentException if {@code commonName} is empty or holds control characters, or an extra name
     *                                  is empty or holds a comma, a space or a control character
     * @throws UncheckedIOException     if the temporary files cannot be written or read, or keytool cannot start
     * @throws IllegalStateException    if keytool fails or does not finish within 60 seconds (the message holds its
     *                                  output), or the JDK lacks PKCS12 or TLS
     */
    public static TestCertificates selfSigned(String commonName, String... extraNames) {
        return generate(null, commonName, extraNames);
    }

    /**
     * {@link #selfSigned(String, String...)}, with the temporary directory made in {@code tempParent} ({@code null}
     * for the system's). Package-private, for the test that checks the cleanup.
     */
    static TestCertificates generate(Path tempParent, String commonName, String... extraNames) {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(extraNames, "extraNames");
        String dname = "CN=" + escapeDnValue(commonName);
        StringBuilder san = new StringBuilder("SAN=").append(LOOPBACK_NAMES);
        for (String name : extraNames) {
            san.append(',').append(typedName(name));
        }
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        char[] password = HexFormat.of().formatHex(secret).toCharArray();

        Path dir;
        try {
            dir = tempParent == null ? Files.createTempDirectory(TEMP_PREFIX)
                    : Files.createTempDirectory(tempParent, TEMP_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory for the test keystore", e);
        }
        Path store = dir.resolve("key.p12");
        Path log = dir.resolve("keytool.log");
        try {
            List<String> command = new ArrayList<>(List.of(
                    keytool().toString(), "-genkeypair", "-noprompt",
                    "-alias", ALIAS,
                    "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                    "-dname", dname,
                    "-ext", san.toString(),
                    "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(password), "-keypass", new String(password)));
            runKeytool(command, log);
            return load(store, password);
        } finally {
            deleteQuietly(store);
            deleteQuietly(log);
            deleteQuietly(dir);
        }
    }

    /**
     * A client context that trusts no certificate at all, for testing that a client rejects a server it does not
     * trust. Its trust manager has no trusted certificate (an empty trust store) and rejects every chain with a
     * {@link CertificateException}, which the TLS engine reports to the server as a {@code certificate_unknown}
     * alert. (The JDK's own trust manager cannot be built over an empty store: it fails with an unchecked "the
     * trustAnchors parameter must be non-empty".) For tests only.
     *
     * @return a new TLS context with no key and no trusted certificate
     * @throws IllegalStateException if the JDK lacks TLS
     */
    public static SSLContext trustNothing() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustNothing()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    /**
     * A server context whose key manager presents this key and certificate. Its trust manager trusts exactly this
     * certificate too (it matters only if the server asks for client certificates). Each call makes a new context.
     *
     * @return a new TLS context
     * @throws IllegalStateException if the JDK cannot build it
     */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trustThis().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the server's TLS context", e);
        }
    }

    /**
     * A client context whose trust manager trusts exactly this certificate (and no other, not even the JDK's
     * default authorities); it has no key of its own. Each call makes a new context.
     *
     * @return a new TLS context
     * @throws IllegalStateException if the JDK cannot build it
     */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustThis().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the client's TLS context", e);
        }
    }

    /**
     * The self-signed certificate.
     *
     * @return the certificate (its own issuer)
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Writes the private key (PKCS#8, {@code BEGIN PRIVATE KEY}) and the certificate as PEM files: what the
     * {@code privateKey=} and {@code certKey=} of an {@code ssl:} endpoint description read. For tests only; call
     * from any thread.
     *
     * @param keyFile  where the key goes (replaced if it exists)
     * @param certFile where the certificate goes (replaced if it exists); may be {@code keyFile}, for one file with
     *                 both (the certificate first)
     * @throws UncheckedIOException if a file cannot be written
     */
    public void writePem(Path keyFile, Path certFile) {
        try {
            String key = pem("PRIVATE KEY", keyStore.getKey(ALIAS, password).getEncoded());
            String cert = pem("CERTIFICATE", certificate.getEncoded());
            if (keyFile.equals(certFile)) {
                Files.writeString(keyFile, cert + key, java.nio.charset.StandardCharsets.US_ASCII);
            } else {
                Files.writeString(keyFile, key, java.nio.charset.StandardCharsets.US_ASCII);
                Files.writeString(certFile, cert, java.nio.charset.StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the PEM files " + keyFile + ", " + certFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test key back", e);
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private TrustManagerFactory trustThis() throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an empty store reads nothing
        }
        trust.setCertificateEntry(ALIAS, certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    /** A trust manager with an empty trust store: every chain is rejected. */
    private static final class TrustNothing extends X509ExtendedTrustManager {
        private static CertificateException untrusted(X509Certificate[] chain) {
            String subject = chain == null || chain.length == 0 ? "an empty chain"
                    : chain[0].getSubjectX500Principal().getName();
            return new CertificateException("not trusted: " + subject
                    + " (TestCertificates.trustNothing trusts no certificate)");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw untrusted(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw untrusted(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw untrusted(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw untrusted(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw untrusted(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw untrusted(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static Path keytool() {
        String exe = System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool";
        return Path.of(System.getProperty("java.home"), "bin", exe);
    }

    private static void runKeytool(List<String> command, Path log) {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        }
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS
                        + " s; its output: " + readLog(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (exit " + process.exitValue() + "): " + readLog(log));
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, Charset.defaultCharset()).strip();
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static TestCertificates load(Path store, char[] password) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            Certificate cert = keyStore.getCertificate(ALIAS);
            if (!(cert instanceof X509Certificate) || !keyStore.isKeyEntry(ALIAS)) {
                throw new IllegalStateException("keytool made no key entry with an X.509 certificate in " + store);
            }
            return new TestCertificates(keyStore, password, (X509Certificate) cert);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the keystore keytool wrote", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the keystore keytool wrote", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless: it holds a throwaway test key
        }
    }

    /** Escapes an attribute value for a distinguished name (RFC 2253's special characters). */
    static String escapeDnValue(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the common name is empty");
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("the common name holds a control character: " + value);
            }
            boolean edgeSpace = c == ' ' && (i == 0 || i == value.length() - 1);
            if (",+\"\\<>;=".indexOf(c) >= 0 || edgeSpace || (c == '#' && i == 0)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** One SubjectAlternativeName entry as keytool's {@code -ext SAN=} wants it: {@code type:value}. */
    static String typedName(String name) {
        Objects.requireNonNull(name, "extra name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an extra name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("an extra name holds a comma, a space or a control character: "
                        + name);
            }
        }
        if (TYPED_NAME.matcher(name).matches() && !looksLikeIpv6(name)) {
            return name;
        }
        if (IPV4.matcher(name).matches()) {
            for (String octet : name.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + name);
                }
            }
            return "ip:" + name;
        }
        if (looksLikeIpv6(name)) {
            return "ip:" + (name.startsWith("[") ? name.substring(1, name.length() - 1) : name);
        }
        return "dns:" + name;
    }

    private static boolean looksLikeIpv6(String name) {
        String s = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        return s.indexOf(':') != s.lastIndexOf(':') && s.chars().allMatch(c -> Character.digit(c, 16) >= 0
                || c == ':' || c == '.' || c == '%');
    }
}
