package dev.weft.reactor.internal;

import dev.weft.protocol.InvalidAddressException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The argument checks of the networking methods ({@code listenTCP}, {@code connectTCP}, {@code listenUDP}, ...),
 * written once for the backends and the test doubles, so that every implementation rejects the same bad input with
 * the same message naming the argument. Also parses IP address literals without ever asking DNS.
 *
 * <p>Stateless; may be called from any thread. For implementors of backends, not for protocol code.
 */
public final class NetChecks {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** {@code 0.0.0.0}: what {@code listenTCP} and {@code listenUDP} bind when no interface is given. */
    private static final InetAddress IPV4_WILDCARD = ipv4Wildcard();

    private NetChecks() {
    }

    private static InetAddress ipv4Wildcard() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Checks a port number.
     *
     * @param port the port
     * @param min  the smallest allowed: 0 where the system may pick one, 1 for a destination
     * @throws IllegalArgumentException if {@code port} is outside {@code [min, 65535]}
     */
    public static void port(int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException("port must be in [" + min + ", 65535], got " + port);
        }
    }

    /** The longest path of a UNIX socket, in bytes: the platform's {@code sun_path} (108) less its NUL. */
    public static final int MAX_UNIX_PATH_BYTES = 107;

    /**
     * A socket's address in the type of {@code Transport.getHost()}/{@code getPeer()}: an
     * {@link InetSocketAddress} as it is; a {@link java.net.UnixDomainSocketAddress} as an unresolved address whose
     * host string is the path (empty for an unnamed socket), port 0, as {@code ReactorUNIX} documents.
     *
     * @param address the address, or null
     * @return the address, or null if {@code address} is null or of another kind
     */
    public static InetSocketAddress asInet(java.net.SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            return (InetSocketAddress) address;
        }
        if (address instanceof java.net.UnixDomainSocketAddress) {
            return unixAddress(((java.net.UnixDomainSocketAddress) address).getPath().toString());
        }
        return null;
    }

    /**
     * The address of a UNIX socket at {@code path}, as {@code ReactorUNIX} documents.
     *
     * @param path the path, empty for an unnamed socket
     * @return an unresolved address whose host string is {@code path}, port 0
     */
    public static InetSocketAddress unixAddress(String path) {
        return InetSocketAddress.createUnresolved(path == null ? "" : path, 0);
    }

    /**
     * Checks the path of a UNIX domain socket.
     *
     * @param path the path, not null, not empty, at most {@value #MAX_UNIX_PATH_BYTES} bytes in UTF-8, no NUL
     * @throws NullPointerException     if {@code path} is null
     * @throws IllegalArgumentException if {@code path} is empty, too long or holds a NUL character
     */
    public static void unixPath(String path) {
        Objects.requireNonNull(path, "path must not be null");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path must not hold a NUL character (abstract sockets are not "
                    + "supported): " + path.replace("\0", "\\0"));
        }
        int bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_UNIX_PATH_BYTES) {
            throw new IllegalArgumentException("path is too long for a UNIX socket: " + bytes + " bytes, at most "
                    + MAX_UNIX_PATH_BYTES + " on this platform: " + path);
        }
    }

    /**
     * Checks the arguments of {@code listenUNIX}.
     *
     * @param path    the socket's path; see {@link #unixPath(String)}
     * @param factory the factory, not null
     * @param backlog the backlog, at least 1
     * @param mode    the file's permissions, 0 to 0777
     * @throws NullPointerException     if {@code path} or {@code factory} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static void listenUnix(String path, Object factory, int backlog, int mode) {
        unixPath(path);
        Objects.requireNonNull(factory, "factory must not be null");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, got " + backlog);
        }
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode must be in [0, 0777], got 0" + Integer.toOctalString(mode));
        }
    }

    /**
     * Checks the arguments of {@code connectUNIX}.
     *
     * @param path           the socket's path; see {@link #unixPath(String)}
     * @param factory        the factory, not null
     * @param timeoutSeconds the timeout, positive and finite
     * @throws NullPointerException     if {@code path} or {@code factory} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static void connectUnix(String path, Object factory, double timeoutSeconds) {
        unixPath(path);
        Objects.requireNonNull(factory, "factory must not be null");
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw new IllegalArgumentException("timeoutSeconds must be positive and finite, got " + timeoutSeconds);
        }
    }

    /**
     * Checks the arguments of {@code listenTCP} and {@code listenSSL}.
     *
     * @param port    the port, 0 to 65535
     * @param factory the factory, not null
     * @param backlog the backlog, at least 1
     * @param iface   the interface, not null
     * @throws NullPointerException     if {@code factory} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} or {@code backlog} is out of range
     */
    public static void listen(int port, Object factory, int backlog, String iface) {
        Objects.requireNonNull(factory, "factory must not be null");
        Objects.requireNonNull(iface, "iface must not be null");
        port(port, 0);
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, got " + backlog);
        }
    }

    /**
     * Checks the arguments of {@code connectTCP} and {@code connectSSL} without a bind address; see
     * {@link #connect(String, int, Object, double, InetSocketAddress)}.
     *
     * @param host           the host, not null or blank
     * @param port           the port, 1 to 65535
     * @param factory        the factory, not null
     * @param timeoutSeconds the timeout, positive and finite
     * @throws NullPointerException     if {@code host} or {@code factory} is null
     * @throws IllegalArgumentException if {@code host} is blank, {@code port} or {@code timeoutSeconds} out of
     *                                  range
     */
    public static void connect(String host, int port, Object factory, double timeoutSeconds) {
        connect(host, port, factory, timeoutSeconds, null);
    }

    /**
     * Checks the arguments of {@code connectTCP} and {@code connectSSL}. A blank host and an unresolved bind address
     * are refused here, at the call (Twisted reports both later, to {@code clientConnectionFailed}): neither can
     * ever connect, and the bind address is bound as it is, never looked up.
     *
     * @param host           the host, not null or blank
     * @param port           the port, 1 to 65535
     * @param factory        the factory, not null
     * @param timeoutSeconds the timeout, positive and finite
     * @param bindAddress    the local address to bind, resolved, or null
     * @throws NullPointerException     if {@code host} or {@code factory} is null
     * @throws IllegalArgumentException if {@code host} is blank, {@code port} or {@code timeoutSeconds} out of
     *                                  range
     * @throws InvalidAddressException  if {@code bindAddress} is unresolved
     */
    public static void connect(String host, int port, Object factory, double timeoutSeconds,
            InetSocketAddress bindAddress) {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(factory, "factory must not be null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty or blank, got '" + host + "'");
        }
        port(port, 1);
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw new IllegalArgumentException("timeoutSeconds must be positive and finite, got " + timeoutSeconds);
        }
        if (bindAddress != null && bindAddress.isUnresolved()) {
            throw new InvalidAddressException("bindAddress must be resolved to an IP address (it is bound as it is, "
                    + "never looked up), got the unresolved '" + bindAddress.getHostString() + "'");
        }
    }

    /**
     * Checks the arguments of {@code listenUDP}.
     *
     * @param port          the port, 0 to 65535
     * @param protocol      the protocol, not null
     * @param iface         the interface, not null
     * @param maxPacketSize the largest datagram, 1 to 65535
     * @throws NullPointerException     if {@code protocol} or {@code iface} is null
     * @throws IllegalArgumentException if {@code port} or {@code maxPacketSize} is out of range
     * @throws InvalidAddressException  if {@code iface} is neither empty nor an IP address literal (UDP takes no
     *                                  host names, as in Twisted)
     */
    public static void listenUdp(int port, Object protocol, String iface, int maxPacketSize) {
        Objects.requireNonNull(protocol, "protocol must not be null");
        Objects.requireNonNull(iface, "iface must not be null");
        port(port, 0);
        if (maxPacketSize < 1 || maxPacketSize > 65535) {
            throw new IllegalArgumentException("maxPacketSize must be in [1, 65535], got " + maxPacketSize);
        }
        if (!iface.isEmpty()) {
            requireIpLiteral("iface", iface);
        }
    }

    /**
     * Checks that a UDP port can reach {@code address}: an IPv4 port only IPv4 addresses, an IPv6 port only IPv6
     * ones (Twisted's {@code udp.Port.write}), on every backend, whatever the system would map.
     *
     * @param local   the port's address ({@code getHost()})
     * @param address the destination, resolved
     * @param name    the argument's name, for the message ("address", "host")
     * @throws InvalidAddressException if the families differ
     */
    public static void sameFamily(InetSocketAddress local, InetSocketAddress address, String name) {
        boolean localV6 = local.getAddress() instanceof Inet6Address;
        boolean remoteV6 = address.getAddress() instanceof Inet6Address;
        if (localV6 != remoteV6) {
            throw new InvalidAddressException(name + " " + address.getAddress().getHostAddress() + " is an "
                    + (remoteV6 ? "IPv6" : "IPv4") + " address, and the UDP port bound to " + local + " is an "
                    + (localV6 ? "IPv6" : "IPv4") + " one: it can only reach " + (localV6 ? "IPv6" : "IPv4")
                    + " addresses (listen on \"::\" or an IPv6 address for IPv6)");
        }
    }

    /**
     * Checks a datagram to send.
     *
     * @param data          the datagram, not null
     * @param maxPacketSize the port's largest datagram
     * @throws NullPointerException     if {@code data} is null
     * @throws IllegalArgumentException if {@code data} is longer than {@code maxPacketSize}
     */
    public static void datagram(byte[] data, int maxPacketSize) {
        Objects.requireNonNull(data, "data must not be null");
        if (data.length > maxPacketSize) {
            throw new IllegalArgumentException(
                    "data is " + data.length + " bytes, over the maximum packet size " + maxPacketSize);
        }
    }

    /**
     * Checks a datagram's destination.
     *
     * @param address the destination, not null, resolved
     * @throws NullPointerException    if {@code address} is null
     * @throws InvalidAddressException if {@code address} is unresolved
     */
    public static void resolved(InetSocketAddress address) {
        Objects.requireNonNull(address, "address must not be null");
        if (address.isUnresolved()) {
            throw new InvalidAddressException("address must be resolved to an IP address, got the unresolved '"
                    + address.getHostString() + "'");
        }
    }

    /**
     * Parses an IPv4 or IPv6 address literal, without DNS.
     *
     * @param host the text
     * @return the address, or null if {@code host} is not an IP address literal
     */
    public static InetAddress ipLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return null;
        }
        try {
            // A string with a colon or a dotted quad is parsed as a literal, never looked up.
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Parses an IP address literal where a host name is not allowed.
     *
     * @param host the text, not null
     * @return the address
     * @throws NullPointerException    if {@code host} is null
     * @throws InvalidAddressException if {@code host} is not an IPv4 or IPv6 address literal
     */
    public static InetAddress requireIpLiteral(String host) {
        return requireIpLiteral("host", host);
    }

    /**
     * Parses an IP address literal where a host name is not allowed; the messages name the argument.
     *
     * @param name  the argument's name, for the messages ("host", "iface")
     * @param value the text, not null
     * @return the address
     * @throws NullPointerException    if {@code value} is null
     * @throws InvalidAddressException if {@code value} is not an IPv4 or IPv6 address literal
     */
    public static InetAddress requireIpLiteral(String name, String value) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        InetAddress a = ipLiteral(value);
        if (a == null) {
            throw new InvalidAddressException(name + " must be an IP address literal (no host names), got '"
                    + value + "'");
        }
        return a;
    }

    /**
     * The local address to bind for {@code iface} and {@code port}: the IPv4 wildcard {@code 0.0.0.0} for
     * {@code ""} (Twisted's default interface; the IPv6 wildcard is asked for with {@code "::"}), else the literal,
     * else the host name looked up (this may block: listening is synchronous).
     *
     * @param iface the interface
     * @param port  the port
     * @return the address to bind
     * @throws UnknownHostException if {@code iface} is a name that does not resolve
     */
    public static InetSocketAddress bindAddress(String iface, int port) throws UnknownHostException {
        if (iface.isEmpty()) {
            return new InetSocketAddress(IPV4_WILDCARD, port);
        }
        InetAddress a = ipLiteral(iface);
        return new InetSocketAddress(a != null ? a : InetAddress.getByName(iface), port);
    }
}
