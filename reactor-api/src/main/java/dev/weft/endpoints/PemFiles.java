package dev.weft.endpoints;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext}s of {@code ssl:} descriptions from PEM files, as Twisted's {@code privateKey=} and
 * {@code certKey=} (a key in PKCS#8, {@code BEGIN PRIVATE KEY}, or RSA PKCS#1, {@code BEGIN RSA PRIVATE KEY}; X.509
 * certificates, the first one the key's), {@code extraCertChain=} and {@code caCertsDir=} (every {@code *.pem} file
 * of the directory a trusted root). Stateless; any thread.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemFiles() {
    }

    /** One PEM block: its label and its bytes. */
    private record Block(String label, byte[] der) {
    }

    private static List<Block> read(String what, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + ": cannot read " + file + ": " + e, e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return out;
    }

    /**
     * The certificates of a PEM file, in order.
     *
     * @param what  the argument, for messages
     * @param file  the file
     * @return the certificates; at least one
     * @throws IllegalArgumentException naming {@code what} if the file cannot be read or holds none
     */
    static List<X509Certificate> certificates(String what, Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : read(what, file)) {
                if (b.label().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": " + file + " holds a certificate that cannot be read: " + e,
                    e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(what + ": " + file + " holds no PEM certificate");
        }
        return out;
    }

    /**
     * The private key of a PEM file.
     *
     * @param what the argument, for messages
     * @param file the file
     * @return the key
     * @throws IllegalArgumentException naming {@code what} if the file holds no key this reads
     */
    static PrivateKey privateKey(String what, Path file) {
        for (Block b : read(what, file)) {
            byte[] pkcs8;
            if (b.label().equals("PRIVATE KEY")) {
                pkcs8 = b.der();
            } else if (b.label().equals("RSA PRIVATE KEY")) {
                pkcs8 = rsaPkcs1ToPkcs8(b.der());
            } else if (b.label().endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException(what + ": " + file + " holds a \"" + b.label() + "\"; convert it "
                        + "to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
            } else {
                continue;
            }
            for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448", "DSA")) {
                try {
                    return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException e) {
                    // not this algorithm
                }
            }
            throw new IllegalArgumentException(what + ": " + file + " holds a private key of an unknown algorithm");
        }
        throw new IllegalArgumentException(what + ": " + file + " holds no PEM private key");
    }

    /** Wraps an RSA PKCS#1 key in a PKCS#8 structure (the RSA algorithm identifier, then the key as an octet string). */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }

    /**
     * A TLS context with a key and its chain, and trust in {@code roots} (the JDK's default trust when null).
     *
     * @param protocol the {@code SSLContext} protocol, e.g. {@code "TLS"}
     * @param key      the private key, or null for none
     * @param chain    the key's certificate then the chain, or empty
     * @param roots    the trusted roots, or null for the JDK's
     * @return the context
     * @throws IllegalArgumentException if the key does not go with the certificate, or the protocol is unknown
     */
    static SSLContext context(String protocol, PrivateKey key, List<X509Certificate> chain,
            List<X509Certificate> roots) {
        try {
            KeyManagerFactory kmf = null;
            if (key != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("key", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, NO_PASSWORD);
            }
            TrustManagerFactory tmf = null;
            if (roots != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (X509Certificate c : roots) {
                    ts.setCertificateEntry("root" + i++, c);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance(protocol);
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build the TLS context: " + e, e);
        }
    }

    /**
     * The certificates of every {@code *.pem} file of {@code dir} (Twisted's {@code caCertsDir}).
     *
     * @param dir the directory
     * @return the certificates
     * @throws IllegalArgumentException if the directory cannot be read or holds no certificate
     */
    static List<X509Certificate> certificatesIn(Path dir) {
        List<X509Certificate> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.getFileName().toString().endsWith(".pem") && Files.isRegularFile(p)) {
                    try {
                        out.addAll(certificates("caCertsDir", p));
                    } catch (IllegalArgumentException e) {
                        // Twisted skips what it cannot read
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("caCertsDir: cannot read the directory " + dir + ": " + e, e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("caCertsDir: " + dir + " holds no *.pem certificate");
        }
        return out;
    }
}
