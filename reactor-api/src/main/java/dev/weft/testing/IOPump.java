package dev.weft.testing;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectionAborted;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.ConnectionLost;
import dev.weft.protocol.Factory;
import dev.weft.protocol.HalfCloseableProtocol;
import dev.weft.protocol.Protocol;
import dev.weft.task.Clock;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Wires a client protocol to a server protocol in memory and moves bytes between them on demand (Twisted's
 * {@code iosim.IOPump} and {@code connectedServerAndClient}), so that a protocol pair can be tested with no
 * sockets, no threads and no real time.
 *
 * <pre>{@code
 * IOPump<EchoServer, EchoClient> pump = IOPump.connectedServerAndClient(EchoServer::new, EchoClient::new);
 * pump.client().sendLine("hello");
 * pump.flush();
 * assertEquals(List.of("hello"), pump.client().received);
 * }</pre>
 *
 * <p>Each protocol gets a {@link FakeTransport}. {@link #pump()} is one step: run the clock's due calls (if a
 * {@link Clock} was given), deliver what each side wrote to the other ({@code dataReceived}, in chunks of at most
 * {@link #setChunkSize(int) chunkSize} bytes), drive the producers, and, when no data moved, carry out one pending
 * close: {@code loseConnection} (both sides get {@code ConnectionDone}), {@code abortConnection} (this side
 * {@code ConnectionAborted}, the peer {@code ConnectionLost}), or a half-close. An exception thrown by
 * {@code dataReceived} loses that connection with it as the reason (the peer gets {@code ConnectionLost}), as on a
 * real transport. {@link #flush()} pumps until nothing happens.
 *
 * <p>Everything runs on the calling thread. Not thread-safe.
 *
 * @param <S> the server protocol's type
 * @param <C> the client protocol's type
 */
public final class IOPump<S extends Protocol, C extends Protocol> {

    /** The server's address in a pumped connection: {@code 127.0.0.1:8080}. */
    public static final InetSocketAddress SERVER_ADDRESS = StringTransport.address(new byte[] {127, 0, 0, 1}, 8080);

    /** The client's address in a pumped connection: {@code 127.0.0.1:49152}. */
    public static final InetSocketAddress CLIENT_ADDRESS = StringTransport.address(new byte[] {127, 0, 0, 1}, 49152);

    private static final int MAX_FLUSH_STEPS = 100_000;

    private final S server;
    private final C client;
    private final FakeTransport serverTransport;
    private final FakeTransport clientTransport;
    private final Clock clock;
    private int chunkSize = Integer.MAX_VALUE;

    private IOPump(S server, C client, Clock clock) {
        this.server = server;
        this.client = client;
        this.clock = clock;
        this.serverTransport = new FakeTransport(server, true, SERVER_ADDRESS, CLIENT_ADDRESS);
        this.clientTransport = new FakeTransport(client, false, CLIENT_ADDRESS, SERVER_ADDRESS);
    }

    /**
     * Connects {@code server} and {@code client}: the server's {@code makeConnection}, then the client's, then a
     * {@link #flush()} so their greetings are exchanged.
     *
     * @param server the server protocol
     * @param client the client protocol
     * @param <S>    the server protocol's type
     * @param <C>    the client protocol's type
     * @return the pump
     * @throws NullPointerException if an argument is null
     */
    public static <S extends Protocol, C extends Protocol> IOPump<S, C> connect(S server, C client) {
        return connect(server, client, null);
    }

    /**
     * Connects {@code server} and {@code client}, as {@link #connect(Protocol, Protocol)}; each {@link #pump()}
     * first runs the calls due on {@code clock} ({@code clock.advance(0)}).
     *
     * @param server the server protocol
     * @param client the client protocol
     * @param clock  the clock to run due calls on, or null
     * @param <S>    the server protocol's type
     * @param <C>    the client protocol's type
     * @return the pump
     * @throws NullPointerException if {@code server} or {@code client} is null
     */
    public static <S extends Protocol, C extends Protocol> IOPump<S, C> connect(S server, C client, Clock clock) {
        Objects.requireNonNull(server, "server must not be null");
        Objects.requireNonNull(client, "client must not be null");
        IOPump<S, C> pump = new IOPump<>(server, client, clock);
        server.makeConnection(pump.serverTransport);
        client.makeConnection(pump.clientTransport);
        pump.flush();
        return pump;
    }

    /**
     * Makes a server and a client protocol and connects them; see {@link #connect(Protocol, Protocol)}.
     *
     * @param server makes the server protocol
     * @param client makes the client protocol
     * @param <S>    the server protocol's type
     * @param <C>    the client protocol's type
     * @return the pump
     * @throws NullPointerException if an argument is null, or a supplier returns null
     */
    public static <S extends Protocol, C extends Protocol> IOPump<S, C> connectedServerAndClient(
            Supplier<? extends S> server, Supplier<? extends C> client) {
        Objects.requireNonNull(server, "server must not be null");
        Objects.requireNonNull(client, "client must not be null");
        return connect(server.get(), client.get(), null);
    }

    /**
     * Connects a protocol built by {@code serverFactory} to one built by {@code clientFactory}, as a backend would:
     * both factories' {@code doStart()}, then {@code buildProtocol} on each (with the other side's address), then
     * {@link #connect(Protocol, Protocol)}. There is no connector, so the client factory's connector callbacks
     * ({@code startedConnecting}, {@code clientConnectionLost}) are not called; use {@link MemoryConnector} for
     * those.
     *
     * @param serverFactory builds the server protocol
     * @param clientFactory builds the client protocol
     * @return the pump
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if a factory rejects the connection (returns null)
     */
    public static IOPump<Protocol, Protocol> connect(Factory serverFactory, ClientFactory clientFactory) {
        Objects.requireNonNull(serverFactory, "serverFactory must not be null");
        Objects.requireNonNull(clientFactory, "clientFactory must not be null");
        serverFactory.doStart();
        clientFactory.doStart();
        Protocol server = serverFactory.buildProtocol(CLIENT_ADDRESS);
        if (server == null) {
            throw new IllegalStateException("the server factory rejected the connection: " + serverFactory);
        }
        Protocol client = clientFactory.buildProtocol(SERVER_ADDRESS);
        if (client == null) {
            throw new IllegalStateException("the client factory rejected the connection: " + clientFactory);
        }
        return connect(server, client, null);
    }

    /**
     * One step: see the class comment.
     *
     * @return whether anything happened (data moved, a producer was driven, or a close was carried out)
     */
    public boolean pump() {
        if (clock != null) {
            clock.advance(0);
        }
        boolean moved = transfer(clientTransport, serverTransport);
        moved |= transfer(serverTransport, clientTransport);
        moved |= clientTransport.checkProducer();
        moved |= serverTransport.checkProducer();
        if (moved) {
            return true;
        }
        return close(serverTransport, clientTransport) || close(clientTransport, serverTransport);
    }

    /**
     * Pumps until a step does nothing.
     *
     * @throws IllegalStateException if it is still busy after 100,000 steps (a producer that never ends, say)
     */
    public void flush() {
        for (int i = 0; i < MAX_FLUSH_STEPS; i++) {
            if (!pump()) {
                return;
            }
        }
        throw new IllegalStateException("still busy after " + MAX_FLUSH_STEPS + " pumps");
    }

    private boolean transfer(FakeTransport from, FakeTransport to) {
        if (from.outgoing.isEmpty() || to.readPaused) {
            return false;
        }
        byte[] all = take(from);
        int off = 0;
        while (off < all.length && !to.readPaused && !to.disconnecting && !to.lost) {
            int n = Math.min(chunkSize, all.length - off);
            byte[] chunk = Arrays.copyOfRange(all, off, off + n);
            off += n;
            try {
                to.protocol.dataReceived(chunk);
            } catch (RuntimeException e) {
                to.reportLost(new ConnectionLost("exception in dataReceived", e));
                from.reportLost(new ConnectionLost("connection reset by peer"));
                return true;
            }
        }
        if (off < all.length && to.readPaused && !to.disconnecting && !to.lost) {
            byte[] rest = Arrays.copyOfRange(all, off, all.length);
            from.outgoing.addFirst(rest);
            from.outgoingBytes += rest.length;
        }
        return true;
    }

    private static byte[] take(FakeTransport from) {
        byte[] all = new byte[(int) from.outgoingBytes];
        int off = 0;
        for (byte[] b : from.outgoing) {
            System.arraycopy(b, 0, all, off, b.length);
            off += b.length;
        }
        from.outgoing.clear();
        from.outgoingBytes = 0;
        return all;
    }

    /** Carries out one pending close started by {@code end}; whether one was. */
    private boolean close(FakeTransport end, FakeTransport peer) {
        if (end.lost) {
            return false;
        }
        if (end.aborted) {
            end.reportLost(new ConnectionAborted("connection aborted"));
            peer.reportLost(new ConnectionLost("connection reset by peer"));
            return true;
        }
        if (!end.outgoing.isEmpty()) {
            return false;
        }
        if (end.writeShutRequested && !end.writeShut) {
            end.writeShut = true;
            if (end.protocol instanceof HalfCloseableProtocol h) {
                h.writeConnectionLost();
            }
            peer.readShut = true;
            if (peer.protocol instanceof HalfCloseableProtocol h) {
                h.readConnectionLost();
            } else {
                peer.reportLost(new ConnectionDone("connection closed by peer"));
                end.reportLost(new ConnectionDone("connection closed"));
            }
            if (end.writeShut && peer.writeShut) {
                end.reportLost(new ConnectionDone("connection closed"));
                peer.reportLost(new ConnectionDone("connection closed"));
            }
            return true;
        }
        if (end.disconnecting && end.producer == null) {
            end.reportLost(new ConnectionDone("connection closed"));
            peer.reportLost(new ConnectionDone("connection closed by peer"));
            return true;
        }
        return false;
    }

    /**
     * The server protocol.
     *
     * @return the server
     */
    public S server() {
        return server;
    }

    /**
     * The client protocol.
     *
     * @return the client
     */
    public C client() {
        return client;
    }

    /**
     * The server's end.
     *
     * @return the server's transport
     */
    public FakeTransport serverTransport() {
        return serverTransport;
    }

    /**
     * The client's end.
     *
     * @return the client's transport
     */
    public FakeTransport clientTransport() {
        return clientTransport;
    }

    /**
     * Sets the largest chunk given to one {@code dataReceived} call, to test how a protocol copes with split input.
     *
     * @param chunkSize the size in bytes, at least 1 (default: no limit)
     * @return this pump
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1
     */
    public IOPump<S, C> setChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, got " + chunkSize);
        }
        this.chunkSize = chunkSize;
        return this;
    }
}
