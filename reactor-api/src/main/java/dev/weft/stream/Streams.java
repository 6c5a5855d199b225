package dev.weft.stream;

import dev.weft.defer.Deferred;
import dev.weft.endpoints.ClientEndpoint;
import dev.weft.endpoints.ServerEndpoint;
import dev.weft.endpoints.TCP4ClientEndpoint;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.ReactorTCP;
import java.util.Objects;

/**
 * Opens stream connections and serves ports with stream handlers (asyncio's {@code open_connection} and
 * {@code start_server}), over TCP or any endpoint.
 *
 * <p>Every method must be called on the reactor thread (or before the reactor runs, or from a coroutine body running
 * on its behalf); the Deferreds fire on the reactor thread. Each form without a {@code limit} uses
 * {@link StreamReader#DEFAULT_LIMIT}.
 */
public final class Streams {

    private Streams() {
    }

    /**
     * Connects over TCP (asyncio's {@code open_connection}).
     *
     * @param reactor the reactor
     * @param host    the host name or IP address
     * @param port    the port, 1 to 65535
     * @return a Deferred of the connected streams, or of the connection's failure
     * @throws NullPointerException     if {@code reactor} or {@code host} is null
     * @throws IllegalArgumentException if {@code host} is blank or {@code port} is out of range
     */
    public static Deferred<StreamConnection> openConnection(ReactorTCP reactor, String host, int port) {
        return openConnection(reactor, host, port, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connects over TCP with a reader limit.
     *
     * @param reactor the reactor
     * @param host    the host name or IP address
     * @param port    the port, 1 to 65535
     * @param limit   the reader's limit (see {@link StreamReader#limit()}), positive
     * @return a Deferred of the connected streams, or of the connection's failure
     * @throws NullPointerException     if {@code reactor} or {@code host} is null
     * @throws IllegalArgumentException if {@code host} is blank, or {@code port} or {@code limit} is out of range
     */
    public static Deferred<StreamConnection> openConnection(ReactorTCP reactor, String host, int port, int limit) {
        StreamReader.checkLimit(limit);
        return connect(new TCP4ClientEndpoint(reactor, host, port), limit);
    }

    /**
     * Connects through {@code endpoint} (any client endpoint: TCP, TLS, UNIX, a description string's).
     *
     * @param endpoint where to connect
     * @return a Deferred of the connected streams, or of the connection's failure
     * @throws NullPointerException if {@code endpoint} is null
     */
    public static Deferred<StreamConnection> connect(ClientEndpoint endpoint) {
        return connect(endpoint, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connects through {@code endpoint} with a reader limit.
     *
     * @param endpoint where to connect
     * @param limit    the reader's limit, positive
     * @return a Deferred of the connected streams, or of the connection's failure
     * @throws NullPointerException     if {@code endpoint} is null
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static Deferred<StreamConnection> connect(ClientEndpoint endpoint, int limit) {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        StreamReader.checkLimit(limit);
        return endpoint.connect(Factory.forProtocol(() -> new StreamProtocol(null, limit)))
                .addCallback(p -> ((StreamProtocol) p).connection());
    }

    /**
     * Listens on {@code port} on every interface and runs {@code handler} for each connection (asyncio's
     * {@code start_server}).
     *
     * @param reactor the reactor
     * @param handler run as a coroutine for each connection
     * @param port    the port, 0 for a free one (read it from {@code getHost()})
     * @return the listening port, bound
     * @throws NullPointerException                         if {@code reactor} or {@code handler} is null
     * @throws dev.weft.protocol.CannotListenException     if the port cannot be bound
     */
    public static ListeningPort startServer(ReactorTCP reactor, StreamHandler handler, int port) {
        Objects.requireNonNull(reactor, "reactor must not be null");
        return reactor.listenTCP(port, factory(handler));
    }

    /**
     * Listens on {@code port} on the interface {@code iface} and runs {@code handler} for each connection.
     *
     * @param reactor the reactor
     * @param handler run as a coroutine for each connection
     * @param port    the port, 0 for a free one
     * @param iface   the address to bind, such as {@code "127.0.0.1"}
     * @return the listening port, bound
     * @throws NullPointerException                     if an argument is null
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    public static ListeningPort startServer(ReactorTCP reactor, StreamHandler handler, int port, String iface) {
        return startServer(reactor, handler, port, iface, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Listens on {@code port} on the interface {@code iface}, with a reader limit for each connection.
     *
     * @param reactor the reactor
     * @param handler run as a coroutine for each connection
     * @param port    the port, 0 for a free one
     * @param iface   the address to bind
     * @param limit   each reader's limit, positive
     * @return the listening port, bound
     * @throws NullPointerException                     if an argument is null
     * @throws IllegalArgumentException                 if {@code limit} is not positive
     * @throws dev.weft.protocol.CannotListenException if the port cannot be bound
     */
    public static ListeningPort startServer(ReactorTCP reactor, StreamHandler handler, int port, String iface,
            int limit) {
        Objects.requireNonNull(reactor, "reactor must not be null");
        Objects.requireNonNull(iface, "iface must not be null");
        return reactor.listenTCP(port, factory(handler, limit), ReactorTCP.DEFAULT_BACKLOG, iface);
    }

    /**
     * Listens through {@code endpoint} and runs {@code handler} for each connection.
     *
     * @param endpoint where to listen
     * @param handler  run as a coroutine for each connection
     * @return a Deferred of the listening port, or of the failure to listen
     * @throws NullPointerException if an argument is null
     */
    public static Deferred<ListeningPort> serve(ServerEndpoint endpoint, StreamHandler handler) {
        return serve(endpoint, handler, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Listens through {@code endpoint}, with a reader limit for each connection.
     *
     * @param endpoint where to listen
     * @param handler  run as a coroutine for each connection
     * @param limit    each reader's limit, positive
     * @return a Deferred of the listening port, or of the failure to listen
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static Deferred<ListeningPort> serve(ServerEndpoint endpoint, StreamHandler handler, int limit) {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        return endpoint.listen(factory(handler, limit));
    }

    /**
     * A factory whose protocols run {@code handler} for each connection, for any {@code listen...} method.
     *
     * @param handler run as a coroutine for each connection
     * @return a new factory
     * @throws NullPointerException if {@code handler} is null
     */
    public static Factory factory(StreamHandler handler) {
        return factory(handler, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * A factory whose protocols run {@code handler} for each connection, with a reader limit.
     *
     * @param handler run as a coroutine for each connection
     * @param limit   each reader's limit, positive
     * @return a new factory
     * @throws NullPointerException     if {@code handler} is null
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static Factory factory(StreamHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler must not be null");
        StreamReader.checkLimit(limit);
        return Factory.forProtocol(() -> new StreamProtocol(handler, limit));
    }

    /**
     * One protocol that runs {@code handler} when its connection is made: for unit tests with
     * {@code dev.weft.testing.StringTransport} ({@code protocol.makeConnection(transport)}, then
     * {@code protocol.dataReceived(...)}), no sockets or real time needed. The protocol is half-closeable.
     *
     * @param handler run as a coroutine from {@code connectionMade}
     * @return a new protocol
     * @throws NullPointerException if {@code handler} is null
     */
    public static Protocol protocol(StreamHandler handler) {
        return protocol(handler, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * One protocol that runs {@code handler} when its connection is made, with a reader limit.
     *
     * @param handler run as a coroutine from {@code connectionMade}
     * @param limit   the reader's limit, positive
     * @return a new protocol
     * @throws NullPointerException     if {@code handler} is null
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static Protocol protocol(StreamHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler must not be null");
        return new StreamProtocol(handler, limit);
    }
}
