package dev.weft.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.reactor.Reactor;
import dev.weft.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Endpoints#serverFromString} and {@link Endpoints#clientFromString} against real Twisted 22.4: a seeded
 * generator writes thousands of descriptions (every type, in several cases, positional and keyword arguments, numbers
 * as Python's {@code int()} reads them, backslash escapes, repeated and unknown keywords, too many or too few
 * arguments, {@code ssl:} servers with real PEM files); {@code differential/endpoints_differential.py} parses each
 * with Twisted and prints the endpoint it made (class and parameters, in the form of the Weft endpoints'
 * {@code toString()}) or {@code ERROR}; Weft must print the same, or reject a description for one of the reasons the
 * class doc of {@link Endpoints} lists as deliberate (an argument Twisted would reject only when listening or
 * connecting, or a Twisted plugin type).
 *
 * <p>Skipped, with the reason, only when {@code /usr/bin/python3} with Twisted is absent ({@code .ci/run} installs
 * {@code python3-twisted}).
 */
class EndpointsDifferentialTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final int COUNT = 3000;

    /** Messages of Weft's deliberate, earlier rejections (see {@link Endpoints}). */
    private static final List<String> DELIBERATE = List.of("port must be in", "backlog must be positive",
            "timeout must be positive", "path must not be empty", "path is too long", "path must not hold",
            "mode must be in", "bindAddress must be an IP address", "host must not be empty", "Twisted's plugins");

    @TempDir
    Path dir;

    @Test
    void everyDescriptionParsesAsInTwisted() throws Exception {
        assumeTwisted();
        TestCertificates certs = TestCertificates.selfSigned("weft-endpoints");
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Path both = dir.resolve("both.pem");
        certs.writePem(key, cert);
        certs.writePem(both, both);
        long seed = Long.getLong("weft.differential.seed", 20261207L);
        List<String[]> cases = generate(new Random(seed), COUNT, key.toString(), cert.toString(), both.toString());
        List<String> twisted = runOracle(cases);
        assertEquals(cases.size(), twisted.size(), "lines from the oracle");
        Reactor reactor = (Reactor) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {
            Reactor.class}, (p, m, a) -> {
                throw new AssertionError("parsing must not call the reactor: " + m);
            });
        int failures = 0;
        int deliberate = 0;
        int ok = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            String weft;
            String message = null;
            try {
                Object e = c[0].equals("server") ? Endpoints.serverFromString(reactor, c[1])
                        : Endpoints.clientFromString(reactor, c[1]);
                weft = e.toString();
            } catch (IllegalArgumentException e) {
                weft = "ERROR";
                message = e.getMessage();
                assertTrue(message.contains(c[1]), "the message must quote the description: " + message);
            }
            String t = twisted.get(i);
            boolean same = t.startsWith("ERROR") ? weft.equals("ERROR") : t.equals(weft);
            if (same) {
                ok++;
                continue;
            }
            if (weft.equals("ERROR") && DELIBERATE.stream().anyMatch(message::contains)) {
                deliberate++;
                continue;
            }
            failures++;
            if (failures <= 10) {
                report.append(c[0]).append(" \"").append(c[1]).append("\": Twisted ").append(t).append(", Weft ")
                        .append(weft).append(message == null ? "" : " (" + message + ")").append('\n');
            }
        }
        System.out.println("EndpointsDifferentialTest: " + cases.size() + " descriptions, " + ok + " as Twisted, "
                + deliberate + " rejected earlier on purpose");
        if (failures > 0) {
            fail(failures + " of " + cases.size() + " descriptions differ from Twisted (seed " + seed + "):\n"
                    + report);
        }
        assertTrue(ok > cases.size() / 2, "most descriptions must compare; only " + ok + " did");
    }

    // ---------------------------------------------------------------- descriptions

    private static final String[] SERVER_TYPES = {"tcp", "tcp", "tcp", "TCP", "tcp6", "TCP6", "unix", "unix", "UNIX",
        "ssl", "ssl", "SSL", "stdio", "nope", ""};
    private static final String[] CLIENT_TYPES = {"tcp", "tcp", "tcp", "TCP", "Tcp", "unix", "unix", "UNIX", "ssl",
        "ssl", "SSL", "tls", "tcp6", "nope", ""};
    private static final String[] NUMBERS = {"80", "8080", "0", "1", "65535", "65536", "-1", " 80 ", "+80", "1_000",
        "1__0", "_1", "08", "0o17", "abc", "", "2.5", "50", "5", "660", "0o660", "777", "1000", "7_7_7", "99999999999"};
    private static final String[] WORDS = {"127.0.0.1", "::1", "localhost", "example.com", "/tmp/weft.sock",
        "C\\:/x", "a\\=b", "x=y", "", "rel/path.sock", "\\\\", "ab\\:cd\\\\e"};
    private static final String[] SERVER_KEYS = {"port", "interface", "backlog", "mode", "lockfile", "address",
        "foo", "privateKey", "certKey"};
    private static final String[] CLIENT_KEYS = {"host", "port", "timeout", "bindAddress", "path", "lockfile",
        "checkPID", "bar"};

    private static List<String[]> generate(Random r, int count, String key, String cert, String both) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean server = r.nextBoolean();
            String[] types = server ? SERVER_TYPES : CLIENT_TYPES;
            String type = types[r.nextInt(types.length)];
            StringBuilder d = new StringBuilder(type);
            int n = r.nextInt(5);
            for (int j = 0; j < n; j++) {
                d.append(':');
                int kind = r.nextInt(10);
                if (kind < 4) {
                    d.append(NUMBERS[r.nextInt(NUMBERS.length)]);
                } else if (kind < 6) {
                    d.append(WORDS[r.nextInt(WORDS.length)]);
                } else {
                    String[] keys = server ? SERVER_KEYS : CLIENT_KEYS;
                    d.append(keys[r.nextInt(keys.length)]).append('=');
                    d.append(r.nextBoolean() ? NUMBERS[r.nextInt(NUMBERS.length)] : WORDS[r.nextInt(WORDS.length)]);
                }
            }
            if (server && type.equalsIgnoreCase("ssl") && r.nextInt(4) != 0) {
                switch (r.nextInt(3)) {
                    case 0 -> d.append(":privateKey=").append(key).append(":certKey=").append(cert);
                    case 1 -> d.append(":privateKey=").append(both);
                    default -> d.append(":certKey=").append(cert).append(":privateKey=").append(key)
                            .append(":extraCertChain=").append(cert);
                }
            }
            if (r.nextInt(40) == 0) {
                d.append('\\'); // a trailing backslash that escapes nothing
            }
            out.add(new String[] {server ? "server" : "client", d.toString()});
        }
        // Fixed cases from Twisted's documentation.
        for (String s : List.of("tcp:80", "tcp:80:interface=127.0.0.1", "tcp:0:backlog=5", "tcp6:8080",
                "tcp6:port=8080:interface=\\:\\:1", "unix:/var/run/finger", "unix:/var/run/finger:mode=660",
                "unix:/tmp/s:lockfile=0", "ssl:443:privateKey=" + key + ":certKey=" + cert)) {
            out.add(new String[] {"server", s});
        }
        for (String s : List.of("tcp:host=www.example.com:port=80", "tcp:www.example.com:80",
                "tcp:host=www.example.com:80", "tcp:www.example.com:port=80", "tcp:www.example.com:80:timeout=9",
                "tcp:www.example.com:80:bindAddress=192.0.2.100", "unix:path=/var/foo/bar:lockfile=1:timeout=9",
                "unix:/var/foo/bar", "unix:/var/foo/bar:lockfile=1:timeout=9", "ssl:web.example.com:443",
                "ssl:web.example.com:443:privateKey=" + key + ":certKey=" + cert)) {
            out.add(new String[] {"client", s});
        }
        return out;
    }

    // ---------------------------------------------------------------- the oracle

    private static void assumeTwisted() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is absent: cannot run Twisted");
        Process p = new ProcessBuilder(PYTHON, "-c", "import twisted.internet.endpoints, twisted.internet.testing, "
                + "OpenSSL").redirectErrorStream(true).start();
        String out = readAll(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not answer within 60 s");
        Assumptions.assumeTrue(p.exitValue() == 0, PYTHON + " has no Twisted with TLS (apt-get install "
                + "python3-twisted python3-openssl): " + out.strip());
    }

    private static List<String> runOracle(List<String[]> cases) throws Exception {
        Process p = new ProcessBuilder(PYTHON, script().toString()).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            for (String[] c : cases) {
                in.write((c[0] + "\t" + c[1] + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the oracle did not finish within 120 s");
        assertEquals(0, p.exitValue(), "the oracle failed: " + err.get(10, TimeUnit.SECONDS));
        return out.get(10, TimeUnit.SECONDS).lines().toList();
    }

    private static Path script() throws URISyntaxException {
        URL url = EndpointsDifferentialTest.class.getResource("/differential/endpoints_differential.py");
        if (url == null) {
            throw new AssertionError("differential/endpoints_differential.py is not on the test class path");
        }
        return Path.of(url.toURI());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read the oracle's output", e);
        }
    }
}
