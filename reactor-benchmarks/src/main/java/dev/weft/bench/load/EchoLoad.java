package dev.weft.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The echo load generator: {@code --connections} connections (default 50) to an echo server, each with one message
 * of {@code --size} bytes (default 64) in flight at a time (ping-pong), all driven by one thread with its own
 * {@link Selector}. It sends {@code --warmup} messages that are not measured, then {@code --messages} that are (or
 * as many as fit in {@code --duration} seconds), and prints the messages per second and the round-trip latency
 * (p50, p99, from send to the last byte of its echo), and then one machine-readable line:
 *
 * <pre>RESULT msgs=N seconds=S rate=R mean_ms=M p50_ms=A p99_ms=B max_ms=C</pre>
 *
 * <p>Exit status 1 if it cannot connect or the server closes a connection.
 */
public final class EchoLoad {

    /** What one load run measured. */
    record Result(long messages, double seconds, LatencyHistogram latency) {
        double rate() {
            return messages / seconds;
        }
    }

    private final InetSocketAddress address;
    private final int connections;
    private final int size;
    private final long warmup;
    private final long messages;
    private final long durationNanos;

    private final LatencyHistogram histogram = new LatencyHistogram();
    private long sent;
    private long completed;
    private long inFlight;
    private boolean measuring;
    private long measureStart;
    private long measureEnd;
    private long measuredDone;
    private long deadline;

    /**
     * A load of {@code messages} measured messages (or, when {@code durationNanos} is positive, as many as fit in it)
     * after {@code warmup} unmeasured ones.
     */
    EchoLoad(InetSocketAddress address, int connections, int size, long warmup, long messages, long durationNanos) {
        this.address = address;
        this.connections = connections;
        this.size = size;
        this.warmup = warmup;
        this.messages = messages;
        this.durationNanos = durationNanos;
    }

    public static void main(String[] argv) {
        Args args;
        try {
            args = new Args(argv, Set.of("host", "port", "connections", "size", "messages", "duration", "warmup"),
                    Set.of());
            if (args.string("port", null) == null) {
                throw new IllegalArgumentException("--port is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("echo-load: " + e.getMessage());
            System.err.println("usage: EchoLoad --port N [--host H] [--connections 50] [--size 64]"
                    + " [--messages 200000 | --duration SECONDS] [--warmup 20000]");
            System.exit(2);
            return;
        }
        String host = args.string("host", "127.0.0.1");
        int port = Ports.parse(args.string("port", "0"));
        int connections = args.integer("connections", 50, 1);
        int size = args.integer("size", 64, 1);
        long messages = args.number("messages", 200_000, 1);
        long duration = args.number("duration", 0, 0);
        long warmup = args.number("warmup", messages / 10, 0);
        EchoLoad load = new EchoLoad(new InetSocketAddress(host, port), connections, size, warmup, messages,
                duration * 1_000_000_000L);
        Result r;
        try {
            r = load.run();
        } catch (IOException e) {
            System.err.println("echo-load: " + e);
            System.exit(1);
            return;
        }
        LatencyHistogram h = r.latency();
        System.out.printf(Locale.ROOT, "echo-load: %d connections x %d B to %s:%d: %.0f msgs/s, round trip p50 %.3f ms,"
                + " p99 %.3f ms (%d messages in %.2f s)%n", connections, size, host, port, r.rate(),
                h.quantile(0.5) / 1e6, h.quantile(0.99) / 1e6, r.messages(), r.seconds());
        System.out.printf(Locale.ROOT, "RESULT msgs=%d seconds=%.6f rate=%.2f mean_ms=%.4f p50_ms=%.4f p99_ms=%.4f"
                + " max_ms=%.4f%n", r.messages(), r.seconds(), r.rate(), h.mean() / 1e6, h.quantile(0.5) / 1e6,
                h.quantile(0.99) / 1e6, h.max() / 1e6);
    }

    /** One connection: its message, how much of the echo has come back, and when the message was sent. */
    private final class Conn {
        final SocketChannel ch;
        final SelectionKey key;
        final ByteBuffer out;
        final ByteBuffer in;
        long sentAt;
        boolean busy;

        Conn(SocketChannel ch, SelectionKey key, byte[] payload) {
            this.ch = ch;
            this.key = key;
            this.out = ByteBuffer.allocateDirect(payload.length);
            this.out.put(payload).flip();
            this.in = ByteBuffer.allocateDirect(Math.max(payload.length, 4096));
        }

        void send(long now) throws IOException {
            busy = true;
            sent++;
            inFlight++;
            sentAt = now;
            out.rewind();
            ch.write(out);
            if (out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        void writable() throws IOException {
            ch.write(out);
            if (!out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        /** Reads; returns true when the whole echo of the message in flight has come back. */
        boolean readable() throws IOException {
            int n = ch.read(in);
            if (n < 0) {
                throw new IOException("the server closed a connection");
            }
            if (in.position() < size) {
                return false;
            }
            if (in.position() > size || !busy) {
                throw new IOException("the server sent " + in.position() + " bytes for a " + size + "-byte message");
            }
            in.clear();
            busy = false;
            return true;
        }
    }

    /**
     * Connects, runs the load and closes the connections.
     *
     * @return what was measured
     * @throws IOException if a connection fails
     */
    Result run() throws IOException {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        List<Conn> conns = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections; i++) {
                    SocketChannel ch = SocketChannel.open(address);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.configureBlocking(false);
                    SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                    Conn c = new Conn(ch, key, payload);
                    key.attach(c);
                    conns.add(c);
                }
                long now = System.nanoTime();
                if (warmup == 0) {
                    startMeasuring(now);
                }
                for (Conn c : conns) {
                    if (mayStart(now)) {
                        c.send(now);
                    }
                }
                IOException[] failure = new IOException[1];
                while (inFlight > 0 && failure[0] == null) {
                    selector.select(key -> {
                        try {
                            ready((Conn) key.attachment(), key);
                        } catch (IOException e) {
                            failure[0] = e;
                        }
                    });
                }
                if (failure[0] != null) {
                    throw failure[0];
                }
            } finally {
                for (Conn c : conns) {
                    c.ch.close();
                }
            }
        }
        long end = measureEnd > measureStart ? measureEnd : System.nanoTime();
        return new Result(measuredDone, (end - measureStart) / 1e9, histogram);
    }

    private void ready(Conn c, SelectionKey key) throws IOException {
        if (key.isWritable()) {
            c.writable();
        }
        if (!key.isReadable() || !c.readable()) {
            return;
        }
        long now = System.nanoTime();
        inFlight--;
        completed++;
        if (measuring) {
            histogram.record(now - c.sentAt);
            measuredDone++;
            measureEnd = now;
        } else if (completed >= warmup) {
            startMeasuring(now);
        }
        if (mayStart(now)) {
            c.send(now);
        }
    }

    private void startMeasuring(long now) {
        measuring = true;
        measureStart = now;
        deadline = now + durationNanos;
    }

    /** Whether another message may be sent: the count is not reached, or the time is not up. */
    private boolean mayStart(long now) {
        if (durationNanos > 0 && measuring) {
            return now < deadline;
        }
        return sent < warmup + messages;
    }
}
