package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.ReactorUNIX;
import dev.weft.reactor.internal.NetChecks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Endpoints from Twisted's description strings ({@code twisted.internet.endpoints.serverFromString} and
 * {@code clientFromString}), and {@link #connectProtocol}.
 *
 * <p>The syntax is Twisted's, parsed as Twisted parses it: a type, then arguments separated by {@code :}; an argument
 * with {@code =} is a keyword argument; a backslash makes the next character literal ({@code unix:C\:/x}); numbers
 * are read as Python's {@code int()} reads them. Servers: {@code tcp:PORT[:interface=][:backlog=]},
 * {@code tcp6:PORT[:backlog=][:interface=]} (interface {@code ::} by default),
 * {@code ssl:PORT[:privateKey=server.pem][:certKey=][:sslmethod=][:interface=][:backlog=][:extraCertChain=]
 * [:dhParameters=]}, {@code unix:PATH[:mode=666][:backlog=][:lockfile=1]} (the lock file is on by default, as in
 * Twisted). Clients: {@code tcp:HOST:PORT[:timeout=][:bindAddress=]} (or {@code host=}/{@code port=}),
 * {@code ssl:HOST:PORT[:hostname=][:certKey=][:privateKey=][:caCertsDir=][:timeout=][:bindAddress=]},
 * {@code unix:PATH[:lockfile=0][:timeout=]} (or {@code path=}). The server types are matched as Twisted matches them
 * ({@code tcp}, {@code ssl}, {@code unix} in lower case; {@code tcp6} in any case), the client types in any case.
 *
 * <p>Where Weft differs, on purpose: arguments Twisted would only reject when listening or connecting (a port out of
 * range, an empty or too long UNIX path, a mode above {@code 0777}, a {@code bindAddress} that is not an IP address)
 * are rejected here; an {@code ssl:} client verifies the server's certificate, against the JDK's trust or
 * {@code caCertsDir}, and the host name, also without {@code hostname=} (Twisted verifies nothing then), and a
 * {@code hostname=} must be the host connected to; {@code dhParameters=} is accepted and left to the JDK; Twisted's
 * plugin types ({@code stdio}, {@code systemd}, {@code haproxy}, {@code tls}) are not supported.
 *
 * <p>A bad description fails with an {@link IllegalArgumentException} that quotes it and names the bad part.
 * Stateless; the endpoints it makes are used on the reactor thread.
 */
public final class Endpoints {

    private static final List<String> TCP_SERVER = List.of("port", "interface", "backlog");
    private static final List<String> TCP6_SERVER = List.of("port", "backlog", "interface");
    private static final List<String> UNIX_SERVER = List.of("address", "mode", "backlog", "lockfile");
    private static final List<String> SSL_SERVER = List.of("port", "privateKey", "certKey", "sslmethod", "interface",
            "backlog", "extraCertChain", "dhParameters");
    private static final List<String> TCP_CLIENT = List.of("host", "port", "timeout", "bindAddress");
    private static final List<String> UNIX_CLIENT = List.of("path", "timeout", "checkPID");

    private Endpoints() {
    }

    /**
     * A server endpoint from a description, such as {@code "tcp:8080:interface=127.0.0.1"} or
     * {@code "unix:/run/app.sock:mode=660"}.
     *
     * @param reactor     the reactor the endpoint listens with
     * @param description the description
     * @return the endpoint
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the description is malformed; the message names the bad part
     */
    public static ServerEndpoint serverFromString(Reactor reactor, String description) {
        Objects.requireNonNull(reactor, "reactor must not be null");
        Description d = Description.parse(description);
        String type = d.args.get(0);
        List<String> rest = d.args.subList(1, d.args.size());
        switch (type) {
            case "tcp": {
                Map<String, String> a = d.bind("tcp", TCP_SERVER, 1, rest, d.kwargs);
                return withContext(d, () -> new TCP4ServerEndpoint(reactor, port(d, "tcp", a, 0), backlog(d, "tcp", a),
                        a.getOrDefault("interface", "")));
            }
            case "unix":
                return unixServer(reactor, d, rest);
            case "ssl":
                return sslServer(reactor, d, rest);
            default:
                break;
        }
        switch (type.toLowerCase(Locale.ROOT)) {
            case "tcp6": {
                Map<String, String> a = d.bind("tcp6", TCP6_SERVER, 1, rest, d.kwargs);
                return withContext(d, () -> new TCP6ServerEndpoint(reactor, port(d, "tcp6", a, 0), backlog(d, "tcp6", a),
                        a.getOrDefault("interface", "::")));
            }
            case "stdio", "systemd", "haproxy":
                throw unsupported(d, type);
            default:
                throw unknown(d, type, "tcp, tcp6, ssl, unix");
        }
    }

    /**
     * A client endpoint from a description, such as {@code "tcp:example.com:80"},
     * {@code "tcp:host=example.com:port=80:timeout=5"} or {@code "unix:/run/app.sock"}.
     *
     * @param reactor     the reactor the endpoint connects with
     * @param description the description
     * @return the endpoint
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the description is malformed; the message names the bad part
     */
    public static ClientEndpoint clientFromString(Reactor reactor, String description) {
        Objects.requireNonNull(reactor, "reactor must not be null");
        Description d = Description.parse(description);
        String type = d.args.get(0);
        List<String> rest = d.args.subList(1, d.args.size());
        switch (type.toUpperCase(Locale.ROOT)) {
            case "TCP": {
                Map<String, String> a = d.bind("tcp", TCP_CLIENT, 2, List.of(), tcpClientArgs(d, "tcp", rest,
                        new LinkedHashMap<>(d.kwargs)));
                return withContext(d, () -> new TCP4ClientEndpoint(reactor, a.get("host"), port(d, "tcp", a, 1), timeout(d, "tcp", a),
                        bind(d, "tcp", a)));
            }
            case "SSL":
                return sslClient(reactor, d, rest);
            case "UNIX": {
                Map<String, String> kw = new LinkedHashMap<>(d.kwargs);
                if (rest.size() == 1) {
                    kw.put("path", rest.get(0));
                }
                String lockfile = kw.remove("lockfile");
                String given = kw.remove("checkPID");
                // lockfile= is read as bool(int()); a checkPID= given as it is counts as Python's truth of a string
                boolean checkPID = lockfile != null ? d.pyBool("unix", "lockfile", lockfile)
                        : given != null && !given.isEmpty();
                Map<String, String> a = d.bind("unix", UNIX_CLIENT, 1, List.of(), kw);
                try {
                    return new UNIXClientEndpoint(reactor, a.get("path"), timeout(d, "unix", a), checkPID);
                } catch (IllegalArgumentException e) {
                    throw d.bad("unix", e.getMessage());
                }
            }
            default:
                if (type.toLowerCase(Locale.ROOT).equals("tls")) {
                    throw unsupported(d, type);
                }
                throw unknown(d, type, "tcp, ssl, unix");
        }
    }

    /**
     * Connects {@code protocol} through {@code endpoint} (Twisted's {@code connectProtocol}): no factory to write.
     *
     * @param endpoint where to connect
     * @param protocol the protocol to connect
     * @param <P>      its type
     * @return a Deferred that fires with {@code protocol} once it is connected, or fails with the connection's failure
     * @throws NullPointerException if an argument is null
     */
    @SuppressWarnings("unchecked")
    public static <P extends Protocol> Deferred<P> connectProtocol(ClientEndpoint endpoint, P protocol) {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        Objects.requireNonNull(protocol, "protocol must not be null");
        return endpoint.connect(Factory.forProtocol(() -> protocol)).addCallback(p -> (P) p);
    }

    // ---------------------------------------------------------------- servers

    private static ServerEndpoint unixServer(ReactorUNIX reactor, Description d, List<String> rest) {
        Map<String, String> a = d.bind("unix", UNIX_SERVER, 1, rest, d.kwargs);
        long mode = a.containsKey("mode") ? d.pyInt("unix", "mode", a.get("mode"), 8) : ReactorUNIX.DEFAULT_MODE;
        if (mode < 0 || mode > 0777) {
            throw d.bad("unix", "mode must be in 0 to 777 (octal), got \"" + a.get("mode") + "\"");
        }
        boolean wantPID = !a.containsKey("lockfile") || d.pyBool("unix", "lockfile", a.get("lockfile"));
        String path = a.get("address");
        try {
            return new UNIXServerEndpoint(reactor, path, backlog(d, "unix", a), (int) mode, wantPID);
        } catch (IllegalArgumentException e) {
            throw d.bad("unix", e.getMessage());
        }
    }

    private static ServerEndpoint sslServer(Reactor reactor, Description d, List<String> rest) {
        Map<String, String> a = d.bind("ssl", SSL_SERVER, 1, rest, d.kwargs);
        String keyFile = a.getOrDefault("privateKey", "server.pem");
        String certFile = a.getOrDefault("certKey", keyFile);
        String protocol = sslProtocol(d, a.get("sslmethod"));
        List<X509Certificate> chain = new ArrayList<>(withContext(d, () -> PemFiles.certificates("certKey",
                Path.of(certFile))));
        PrivateKey key = withContext(d, () -> PemFiles.privateKey("privateKey", Path.of(keyFile)));
        if (a.containsKey("extraCertChain")) {
            for (X509Certificate c : withContext(d, () -> PemFiles.certificates("extraCertChain",
                    Path.of(a.get("extraCertChain"))))) {
                if (!chain.contains(c)) {
                    chain.add(c); // a certificate sent already is not sent again
                }
            }
        }
        SSLContext context = withContext(d, () -> PemFiles.context(protocol, key, chain, null));
        return withContext(d, () -> new SSL4ServerEndpoint(reactor, port(d, "ssl", a, 0), context, backlog(d, "ssl", a),
                a.getOrDefault("interface", "")));
    }

    private static String sslProtocol(Description d, String sslmethod) {
        if (sslmethod == null) {
            return "TLS";
        }
        switch (sslmethod) {
            case "SSLv23_METHOD", "TLS_METHOD", "TLS_SERVER_METHOD", "TLS_CLIENT_METHOD":
                return "TLS";
            case "TLSv1_METHOD":
                return "TLSv1";
            case "TLSv1_1_METHOD":
                return "TLSv1.1";
            case "TLSv1_2_METHOD":
                return "TLSv1.2";
            default:
                throw d.bad("ssl", "unknown sslmethod \"" + sslmethod + "\" (SSLv23_METHOD, TLS_METHOD, "
                        + "TLSv1_METHOD, TLSv1_1_METHOD, TLSv1_2_METHOD)");
        }
    }

    // ---------------------------------------------------------------- clients

    /** Twisted's {@code _parseClientTCP}: host and port from the positional arguments. */
    private static Map<String, String> tcpClientArgs(Description d, String what, List<String> rest,
            Map<String, String> kw) {
        if (rest.size() == 2) {
            kw.put("port", rest.get(1));
            kw.put("host", rest.get(0));
        } else if (rest.size() == 1) {
            if (kw.containsKey("host")) {
                kw.put("port", rest.get(0));
            } else {
                kw.put("host", rest.get(0));
            }
        }
        return kw;
    }

    private static ClientEndpoint sslClient(Reactor reactor, Description d, List<String> rest) {
        Map<String, String> kw = tcpClientArgs(d, "ssl", rest, new LinkedHashMap<>(d.kwargs));
        String hostname = kw.remove("hostname");
        String certKey = kw.remove("certKey");
        String privateKey = kw.remove("privateKey");
        String caCertsDir = kw.remove("caCertsDir");
        Map<String, String> a = d.bind("ssl", TCP_CLIENT, 2, List.of(), kw);
        if (hostname != null && !hostname.equals(a.get("host"))) {
            throw d.bad("ssl", "hostname=" + hostname + " must be the host connected to (" + a.get("host")
                    + "): Weft verifies the certificate against that host");
        }
        PrivateKey key = null;
        List<X509Certificate> chain = List.of();
        if (certKey != null) {
            chain = withContext(d, () -> PemFiles.certificates("certKey", Path.of(certKey)));
            String keyFile = privateKey != null ? privateKey : certKey;
            key = withContext(d, () -> PemFiles.privateKey(privateKey != null ? "privateKey" : "certKey",
                    Path.of(keyFile)));
        }
        List<X509Certificate> roots = caCertsDir == null ? null
                : withContext(d, () -> PemFiles.certificatesIn(Path.of(caCertsDir)));
        PrivateKey k = key;
        List<X509Certificate> c = chain;
        SSLContext context = withContext(d, () -> PemFiles.context("TLS", k, c, roots));
        return withContext(d, () -> new SSL4ClientEndpoint(reactor, a.get("host"), port(d, "ssl", a, 1), context, true,
                timeout(d, "ssl", a), bind(d, "ssl", a)));
    }

    // ---------------------------------------------------------------- arguments

    private static int port(Description d, String what, Map<String, String> a, int min) {
        long port = d.pyInt(what, "port", a.get("port"), 10);
        if (port < min || port > 65535) {
            throw d.bad(what, "port must be in [" + min + ", 65535], got " + a.get("port"));
        }
        return (int) port;
    }

    private static int backlog(Description d, String what, Map<String, String> a) {
        if (!a.containsKey("backlog")) {
            return ReactorTCP.DEFAULT_BACKLOG;
        }
        long backlog = d.pyInt(what, "backlog", a.get("backlog"), 10);
        if (backlog < 1 || backlog > Integer.MAX_VALUE) {
            throw d.bad(what, "backlog must be positive, got " + a.get("backlog"));
        }
        return (int) backlog;
    }

    private static double timeout(Description d, String what, Map<String, String> a) {
        if (!a.containsKey("timeout")) {
            return ReactorTCP.DEFAULT_CONNECT_TIMEOUT;
        }
        long timeout = d.pyInt(what, "timeout", a.get("timeout"), 10);
        if (timeout < 1) {
            throw d.bad(what, "timeout must be positive, got " + a.get("timeout"));
        }
        return timeout;
    }

    private static InetSocketAddress bind(Description d, String what, Map<String, String> a) {
        String bind = a.get("bindAddress");
        if (bind == null) {
            return null;
        }
        InetAddress literal = NetChecks.ipLiteral(bind);
        if (literal == null) {
            throw d.bad(what, "bindAddress must be an IP address, got \"" + bind + "\"");
        }
        return new InetSocketAddress(literal, 0);
    }

    private interface Load<T> {
        T load();
    }

    private static <T> T withContext(Description d, Load<T> load) {
        try {
            return load.load();
        } catch (IllegalArgumentException e) {
            throw d.bad(d.args.get(0), e.getMessage());
        }
    }

    private static IllegalArgumentException unsupported(Description d, String type) {
        return d.bad(type, "the endpoint type \"" + type + "\" is one of Twisted's plugins, which Weft does not "
                + "support");
    }

    private static IllegalArgumentException unknown(Description d, String type, String known) {
        return d.bad(type, "unknown endpoint type \"" + type + "\" (known: " + known + ")");
    }
}
