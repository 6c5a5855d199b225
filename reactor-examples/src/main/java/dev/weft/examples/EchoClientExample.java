package dev.weft.examples;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.ConnectionDone;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A client of the echo server that measures round trips: it sends {@code --count} messages of {@code --size} bytes
 * one at a time, each when the echo of the one before is complete, then prints the mean, median and 99th
 * percentile of the round-trip times, disconnects and stops the reactor.
 */
final class EchoClientExample {

    /** The example's name, as given to {@code weft-examples.jar}. */
    static final String NAME = "echo-client";

    static final int DEFAULT_PORT = EchoExample.DEFAULT_PORT;
    static final int DEFAULT_COUNT = 10;
    static final int DEFAULT_SIZE = 64;
    /** The largest {@code --count}: ten million, so the round-trip times fit in 80 MB. */
    static final int MAX_COUNT = 10_000_000;
    /** The largest {@code --size}: 64 MiB, so one message fits in memory with room to spare. */
    static final int MAX_SIZE = 64 << 20;

    private EchoClientExample() {
    }

    /**
     * What a run measured.
     *
     * @param count       the round trips made
     * @param size        the bytes in each message
     * @param meanMicros  the mean round-trip time, in microseconds
     * @param p50Micros   the median
     * @param p99Micros   the 99th percentile (nearest rank)
     */
    record Stats(int count, int size, double meanMicros, double p50Micros, double p99Micros) {

        static Stats of(long[] nanos, int size) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (long n : sorted) {
                sum += n;
            }
            return new Stats(sorted.length, size, sum / sorted.length / 1e3, percentile(sorted, 50) / 1e3,
                    percentile(sorted, 99) / 1e3);
        }

        private static long percentile(long[] sorted, int p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d round trips of %d bytes: mean %.1f us, p50 %.1f us, p99 %.1f us",
                    count, size, meanMicros, p50Micros, p99Micros);
        }
    }

    static int main(String[] args) {
        Options options;
        int count;
        int size;
        try {
            options = Options.parse(args, Set.of("count", "size"));
            count = intOption(options, "count", DEFAULT_COUNT, 1, MAX_COUNT);
            size = intOption(options, "size", DEFAULT_SIZE, 1, MAX_SIZE);
        } catch (IllegalArgumentException e) {
            System.err.println(NAME + ": " + e.getMessage());
            System.err.println("usage: " + usage());
            return 2;
        }
        if (options.help) {
            printHelp(System.out);
            return 0;
        }
        Reactor reactor;
        try {
            reactor = options.createReactor();
        } catch (IllegalArgumentException e) {
            System.err.println(NAME + ": " + e.getMessage());
            return 2;
        }
        return run(reactor, options.host, options.portOr(DEFAULT_PORT), count, size, System.out, System.err);
    }

    static String usage() {
        return NAME + " [--host H] [--port N] [--count N] [--size BYTES] [--backend untwisted|netty] [--help]";
    }

    static void printHelp(PrintStream out) {
        out.println("usage: " + usage());
        NetSupport.printParagraph(out,
                "Connects to an echo server at --host (default 127.0.0.1) and --port (default " + DEFAULT_PORT
                + ") and measures round trips: sends --count messages (default " + DEFAULT_COUNT + ") of --size"
                + " random bytes (default " + DEFAULT_SIZE + ") one at a time, each once the echo of the one before"
                + " has fully come back and matched, then prints the round-trip count and the mean, p50 and p99"
                + " round-trip times in microseconds, disconnects and stops. Exits with 0 on success and 1 when it"
                + " cannot connect (the reason is printed) or the connection fails. The backend is --backend, else"
                + " the weft.reactor property or the WEFT_REACTOR variable, else untwisted.");
    }

    /**
     * Runs the client on {@code reactor} until it is done, as the command does.
     *
     * @param reactor a reactor that never ran; it is stopped at the end
     * @param host    the server's host
     * @param port    the server's port
     * @param count   the round trips to make
     * @param size    the bytes in each message
     * @param out     where the results go
     * @param err     where the failure goes
     * @return the exit code: 0 on success, 1 on a connection failure
     */
    static int run(Reactor reactor, String host, int port, int count, int size, PrintStream out, PrintStream err) {
        int[] exitCode = {1};
        out.println(NAME + ": connecting to " + NetSupport.format(host, port) + ", backend " + reactor.backendName());
        reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> out.println(NAME + ": stopped"));
        reactor.callWhenRunning(() -> roundTrips(reactor, host, port, count, size).addBoth((stats, failure) -> {
            if (failure == null) {
                out.println(NAME + ": " + stats);
                exitCode[0] = 0;
            } else {
                err.println(NAME + ": " + describe(failure, host, port));
            }
            NetSupport.stopQuietly(reactor);
            return null;
        }));
        reactor.run();
        return exitCode[0];
    }

    private static String describe(Throwable failure, String host, int port) {
        if (failure instanceof ConnectFailedException) {
            String destination = NetSupport.format(host, port);
            String message = String.valueOf(failure.getMessage());
            return message.contains(destination) ? "cannot connect: " + message
                    : "cannot connect to " + destination + ": " + message;
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    /**
     * Connects to an echo server and makes {@code count} round trips of {@code size} bytes, then disconnects.
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the server's host
     * @param port    the server's port
     * @param count   the round trips to make, at least 1
     * @param size    the bytes in each message, at least 1
     * @return a Deferred that fires with the stats once the connection is closed, or fails with the reason the
     *         connection could not be made ({@link ConnectFailedException}) or ended early
     */
    static Deferred<Stats> roundTrips(Reactor reactor, String host, int port, int count, int size) {
        if (count < 1 || size < 1) {
            throw new IllegalArgumentException("count and size must be at least 1, got " + count + " and " + size);
        }
        Deferred<Stats> result = new Deferred<>();
        reactor.connectTCP(host, port, new PingPongFactory(count, size, result));
        return result;
    }

    private static int intOption(Options options, String name, int defaultValue, int min, int max) {
        int v = options.intExtra(name, defaultValue);
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + name + " must be from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    /** Makes the one connection, and turns how it ends into the result. */
    private static final class PingPongFactory extends ClientFactory {
        private final int count;
        private final int size;
        private final Deferred<Stats> result;
        private PingPong protocol;

        PingPongFactory(int count, int size, Deferred<Stats> result) {
            this.count = count;
            this.size = size;
            this.result = result;
        }

        @Override
        public Protocol buildProtocol(InetSocketAddress address) {
            protocol = new PingPong(count, size);
            protocol.setFactory(this);
            return protocol;
        }

        @Override
        public void clientConnectionFailed(Connector connector, Throwable reason) {
            result.errback(reason);
        }

        @Override
        public void clientConnectionLost(Connector connector, Throwable reason) {
            if (protocol.error != null) {
                result.errback(protocol.error);
            } else if (protocol.done == count && reason instanceof ConnectionDone) {
                result.callback(Stats.of(protocol.nanos, size));
            } else {
                result.errback(new IOException("the connection ended after " + protocol.done + " of " + count
                        + " round trips: " + reason.getMessage(), reason));
            }
        }
    }

    /** Sends a message, waits for all of its echo, checks it, and sends the next. */
    private static final class PingPong extends Protocol {
        private final SplittableRandom random = new SplittableRandom();
        private final long[] nanos;
        private final int size;
        private byte[] message;
        private int received;
        private long sentAt;
        private int done;
        private IOException error;

        PingPong(int count, int size) {
            this.nanos = new long[count];
            this.size = size;
        }

        @Override
        public void connectionMade() {
            sendNext();
        }

        private void sendNext() {
            message = new byte[size];
            random.nextBytes(message);
            received = 0;
            sentAt = System.nanoTime();
            transport.write(message);
        }

        @Override
        public void dataReceived(byte[] data) {
            if (error != null || done == nanos.length) {
                return;
            }
            if (data.length > size - received
                    || !Arrays.equals(data, 0, data.length, message, received, received + data.length)) {
                error = new IOException("the echo of message " + (done + 1) + " differs from what was sent");
                transport.loseConnection();
                return;
            }
            received += data.length;
            if (received < size) {
                return;
            }
            nanos[done++] = System.nanoTime() - sentAt;
            if (done == nanos.length) {
                transport.loseConnection();
            } else {
                sendNext();
            }
        }
    }
}
