package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import javax.naming.ldap.LdapName;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {

    private static TestCertificates certs;

    @BeforeAll
    static void generate() {
        certs = TestCertificates.selfSigned("weft-cert-test");
    }

    /** The SubjectAlternativeName entries as "dns:..." / "ip:...". */
    private static List<String> altNames(X509Certificate cert) throws Exception {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        List<String> out = new ArrayList<>();
        if (names != null) {
            for (List<?> entry : names) {
                int type = (Integer) entry.get(0);
                out.add((type == 2 ? "dns:" : type == 7 ? "ip:" : type + ":") + entry.get(1));
            }
        }
        return out;
    }

    private static String commonName(X509Certificate cert) throws Exception {
        return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                .map(rdn -> rdn.getValue().toString())
                .findFirst().orElseThrow();
    }

    @Test
    void certificateIsSelfSignedForTheCommonName() throws Exception {
        X509Certificate cert = certs.certificate();
        assertEquals("CN=weft-cert-test", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey()); // signed by its own key
        assertEquals("RSA", cert.getPublicKey().getAlgorithm());
        assertEquals(2048, ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength());
    }

    @Test
    void certificateNamesTheLoopbackAddresses() throws Exception {
        List<String> names = altNames(certs.certificate());
        assertTrue(names.contains("dns:localhost"), names.toString());
        assertTrue(names.contains("ip:127.0.0.1"), names.toString());
        assertTrue(names.contains("ip:0:0:0:0:0:0:0:1"), names.toString());
        assertEquals(3, names.size(), names.toString());
    }

    @Test
    void certificateIsValidForTwoDaysFromNow() {
        X509Certificate cert = certs.certificate();
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();
        assertEquals(Duration.ofDays(2), Duration.between(notBefore, notAfter));
        Instant now = Instant.now();
        assertTrue(!notBefore.isAfter(now.plusSeconds(5)) && notBefore.isAfter(now.minus(Duration.ofHours(1))),
                "not before " + notBefore);
    }

    @Test
    void eachContextIsNew() {
        SSLContext server = certs.serverContext();
        assertNotSame(server, certs.serverContext());
        assertNotSame(certs.clientContext(), certs.clientContext());
        assertEquals("TLS", server.getProtocol());
        assertEquals("TLS", TestCertificates.trustNothing().getProtocol());
    }

    @Test
    void extraNamesAreAddedAndEachCallMakesANewKey() throws Exception {
        TestCertificates other = TestCertificates.selfSigned("Weft, Test+1", "example.test", "10.1.2.3",
                "fe80::1", "dns:*.wild.test", "ip:192.168.0.1");
        X509Certificate cert = other.certificate();
        assertEquals("Weft, Test+1", commonName(cert));
        List<String> names = altNames(cert);
        for (String expected : List.of("dns:localhost", "ip:127.0.0.1", "ip:0:0:0:0:0:0:0:1", "dns:example.test",
                "ip:10.1.2.3", "ip:fe80:0:0:0:0:0:0:1", "dns:*.wild.test", "ip:192.168.0.1")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
        assertNotEquals(certs.certificate().getPublicKey(), cert.getPublicKey());
    }

    @Test
    void temporaryFilesAreDeleted(@TempDir Path parent) throws IOException {
        TestCertificates.generate(parent, "cleanup");
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void temporaryFilesAreDeletedWhenKeytoolFails(@TempDir Path parent) throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestCertificates.generate(parent, "broken", "ip:not-an-address"));
        assertTrue(e.getMessage().startsWith("keytool failed (exit "), e.getMessage());
        assertTrue(e.getMessage().length() > "keytool failed (exit 1): ".length(), "keytool's output is missing");
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void badNamesAreRejectedBeforeRunningKeytool() {
        assertThrows(IllegalArgumentException.class, () -> TestCertificates.selfSigned(""));
        assertThrows(IllegalArgumentException.class, () -> TestCertificates.selfSigned("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> TestCertificates.selfSigned("ok", "a,b"));
        assertThrows(IllegalArgumentException.class, () -> TestCertificates.selfSigned("ok", "a b"));
        assertThrows(IllegalArgumentException.class, () -> TestCertificates.selfSigned("ok", ""));
        assertThrows(IllegalArgumentException.class, () -> TestCertificates.selfSigned("ok", "256.0.0.1"));
        assertThrows(NullPointerException.class, () -> TestCertificates.selfSigned(null));
    }

    @Test
    void namesAreTypedTheWayKeytoolWantsThem() {
        assertEquals("dns:example.test", TestCertificates.typedName("example.test"));
        assertEquals("ip:10.0.0.1", TestCertificates.typedName("10.0.0.1"));
        assertEquals("ip:::1", TestCertificates.typedName("::1"));
        assertEquals("ip:fe80::1", TestCertificates.typedName("[fe80::1]"));
        assertEquals("DNS:x.test", TestCertificates.typedName("DNS:x.test"));
        assertEquals("uri:https://x.test/", TestCertificates.typedName("uri:https://x.test/"));
    }

    @Test
    void commonNamesAreEscaped() {
        assertEquals("plain", TestCertificates.escapeDnValue("plain"));
        assertEquals("a\\, b\\+c\\=d", TestCertificates.escapeDnValue("a, b+c=d"));
        assertEquals("\\#x\\ ", TestCertificates.escapeDnValue("#x "));
    }
}
