package dev.weft.examples.resp;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorNotRunningException;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A RESP client written with Weft, for the end-to-end tests: sends commands and parses the replies, firing one
 * Deferred per command, in order. Replies are decoded as: simple string → {@code String}, error → {@link Err},
 * integer → {@code Long}, bulk string → {@code String} (ISO-8859-1), null → {@code null}, array → {@code List}.
 */
final class RespTestClient extends Protocol {

    /** How long a test waits for anything, in seconds. */
    static final double TIMEOUT = 10;

    /** An error reply. */
    record Err(String message) {
    }

    /** Fires when the connection is made. */
    final Deferred<RespTestClient> connected = new Deferred<>();
    /** Fires with the reason when the connection ends. */
    final Deferred<Throwable> lost = new Deferred<>();

    private final ArrayDeque<Deferred<Object>> waiting = new ArrayDeque<>();
    private byte[] buf = new byte[4096];
    private int len;
    private Object parsed;

    /**
     * Connects to the server on 127.0.0.1 and runs the reactor until connected.
     *
     * @param reactor the reactor
     * @param port    the server's port
     * @return the connected client
     * @throws Exception if it cannot connect within {@link #TIMEOUT}
     */
    static RespTestClient connect(Reactor reactor, int port) throws Exception {
        RespTestClient client = new RespTestClient();
        reactor.connectTCP("127.0.0.1", port, new ClientFactory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
                client.setFactory(this);
                return client;
            }

            @Override
            public void clientConnectionFailed(Connector connector, Throwable reason) {
                client.connected.errback(reason);
            }
        });
        return await(reactor, client.connected);
    }

    /**
     * Runs the reactor until {@code d} fires, for at most {@link #TIMEOUT}.
     *
     * @param reactor the reactor
     * @param d       the Deferred
     * @param <T>     its type
     * @return its result
     * @throws Exception its failure, or a timeout
     */
    static <T> T await(Reactor reactor, Deferred<T> d) throws Exception {
        return reactor.runUntil(d.addTimeout(TIMEOUT, reactor));
    }

    /**
     * Stops the reactor and runs it until its shutdown is done (the test's {@code @Timeout} bounds it).
     *
     * @param reactor the reactor
     */
    static void stop(Reactor reactor) {
        reactor.callLater(0, () -> {
            try {
                reactor.stop();
            } catch (ReactorNotRunningException e) {
                // stopping already
            }
        });
        reactor.run();
    }

    static byte[] encode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(b);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    /**
     * Sends one command.
     *
     * @param args the command and its arguments
     * @return fires with the reply
     */
    Deferred<Object> send(String... args) {
        return sendRaw(encode(args));
    }

    /**
     * Sends bytes as they are, expecting one reply.
     *
     * @param raw the request
     * @return fires with the next reply
     */
    Deferred<Object> sendRaw(byte[] raw) {
        Deferred<Object> d = new Deferred<>();
        waiting.add(d);
        transport.write(raw);
        return d;
    }

    /**
     * Sends every command in one write.
     *
     * @param commands the commands
     * @return one Deferred per command, in order
     */
    List<Deferred<Object>> pipeline(List<String[]> commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Deferred<Object>> replies = new ArrayList<>();
        for (String[] c : commands) {
            out.writeBytes(encode(c));
            Deferred<Object> d = new Deferred<>();
            waiting.add(d);
            replies.add(d);
        }
        transport.write(out.toByteArray());
        return replies;
    }

    @Override
    public void connectionMade() {
        connected.callback(this);
    }

    @Override
    public void dataReceived(byte[] data) {
        if (len + data.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + data.length, 2 * buf.length));
        }
        System.arraycopy(data, 0, buf, len, data.length);
        len += data.length;
        int pos = 0;
        int next;
        while ((next = parse(pos)) >= 0) {
            pos = next;
            Deferred<Object> d = waiting.poll();
            if (d == null) {
                throw new IllegalStateException("a reply nobody asked for: " + parsed);
            }
            d.callback(parsed);
        }
        System.arraycopy(buf, pos, buf, 0, len - pos);
        len -= pos;
    }

    @Override
    public void connectionLost(Throwable reason) {
        for (Deferred<Object> d; (d = waiting.poll()) != null; ) {
            d.errback(reason);
        }
        lost.callback(reason);
    }

    /** Parses one reply at {@code pos} into {@link #parsed}; returns where it ends, or -1 if incomplete. */
    private int parse(int pos) {
        int crlf = -1;
        for (int i = pos; i + 1 < len; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                crlf = i;
                break;
            }
        }
        if (crlf < 0) {
            return -1;
        }
        String line = new String(buf, pos + 1, crlf - pos - 1, StandardCharsets.ISO_8859_1);
        int after = crlf + 2;
        switch (buf[pos]) {
            case '+':
                parsed = line;
                return after;
            case '-':
                parsed = new Err(line);
                return after;
            case ':':
                parsed = Long.parseLong(line);
                return after;
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    parsed = null;
                    return after;
                }
                if (len < after + n + 2) {
                    return -1;
                }
                parsed = new String(buf, after, n, StandardCharsets.ISO_8859_1);
                return after + n + 2;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    parsed = null;
                    return after;
                }
                List<Object> items = new ArrayList<>();
                int p = after;
                for (int i = 0; i < n; i++) {
                    p = parse(p);
                    if (p < 0) {
                        return -1;
                    }
                    items.add(parsed);
                }
                parsed = items;
                return p;
            }
            default:
                throw new IllegalStateException("bad reply type '" + (char) buf[pos] + "'");
        }
    }
}
