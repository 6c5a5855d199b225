package dev.weft.examples;

import dev.weft.defer.Deferred;
import dev.weft.defer.DeferredList;
import dev.weft.defer.DeferredTimeoutException;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.stream.StreamConnection;
import dev.weft.stream.StreamReader;
import dev.weft.stream.StreamWriter;
import dev.weft.stream.Streams;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A concurrent RESP client in the spirit of Tulip's crawler demo: it starts {@code --clients} coroutines, each of
 * which connects with {@link Streams#openConnection}, sends {@code --requests} commands in pipelines of
 * {@code --pipeline} ({@code SET} a key, then {@code GET} it back) and reads and checks each reply with the stream
 * API; each reply has a timeout ({@link Deferred#addTimeout}); the results are gathered with a
 * {@link DeferredList}. It runs against the {@code resp} example or a real {@code redis-server}.
 */
final class RespClientExample {

    /** The example's name, as given to {@code weft-examples.jar}. */
    static final String NAME = "resp-client";

    static final int DEFAULT_CLIENTS = 10;
    static final int DEFAULT_REQUESTS = 1000;
    static final int DEFAULT_PIPELINE = 16;
    static final double DEFAULT_TIMEOUT = 5.0;
    static final int MAX_CLIENTS = 10_000;
    static final int MAX_REQUESTS = 10_000_000;
    static final int MAX_PIPELINE = 10_000;
    /** How long the keys it sets live in the server, in milliseconds ({@code PX}), so a real server is not littered. */
    static final long KEY_TTL_MS = 60_000;
    /** The longest reply line accepted, and the reader's limit. */
    static final int READ_LIMIT = 64 * 1024;

    private RespClientExample() {
    }

    /**
     * What one run is to do.
     *
     * @param clients  how many coroutines, each with a connection of its own
     * @param requests commands per client
     * @param pipeline commands sent before their replies are read
     * @param timeout  seconds allowed to connect, and to each reply
     */
    record Load(int clients, int requests, int pipeline, double timeout) {
        Load {
            check("clients", clients, 1, MAX_CLIENTS);
            check("requests", requests, 1, MAX_REQUESTS);
            check("pipeline", pipeline, 1, MAX_PIPELINE);
            if (!(timeout > 0) || Double.isInfinite(timeout)) {
                throw new IllegalArgumentException("--timeout must be a positive number of seconds, got " + timeout);
            }
        }

        private static void check(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException("--" + name + " must be from " + min + " to " + max + ", got " + v);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param load    what it was to do
     * @param replies replies received and checked, over all clients
     * @param seconds from the start to the last client's end
     */
    record Summary(Load load, long replies, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d clients x %d requests (pipelines of %d): %d replies, all as"
                    + " expected, in %.3f s (%,.0f requests/s)", load.clients(), load.requests(), load.pipeline(),
                    replies, seconds, replies / Math.max(seconds, 1e-9));
        }
    }

    static int main(String[] args) {
        Options options;
        Load load;
        try {
            options = Options.parse(args, Set.of("clients", "requests", "pipeline", "timeout"));
            load = new Load(options.intExtra("clients", DEFAULT_CLIENTS),
                    options.intExtra("requests", DEFAULT_REQUESTS), options.intExtra("pipeline", DEFAULT_PIPELINE),
                    doubleOption(options, "timeout", DEFAULT_TIMEOUT));
            if (options.listen != null) {
                throw new IllegalArgumentException("--listen is for servers; give --host and --port");
            }
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
        return run(reactor, options.host, options.portOr(RespExample.DEFAULT_PORT), load, System.out, System.err);
    }

    static String usage() {
        return NAME + " [--host H] [--port N] [--clients N] [--requests N] [--pipeline N] [--timeout SECONDS]"
                + " [--backend untwisted|netty] [--help]";
    }

    static void printHelp(PrintStream out) {
        out.println("usage: " + usage());
        NetSupport.printParagraph(out,
                "A concurrent client of a Redis-protocol server (the 'resp' example, or redis-server) at --host"
                + " (default 127.0.0.1) and --port (default " + RespExample.DEFAULT_PORT + "). It starts --clients"
                + " coroutines (default " + DEFAULT_CLIENTS + "), each on a connection of its own, which send"
                + " --requests commands each (default " + DEFAULT_REQUESTS + ") in pipelines of --pipeline (default "
                + DEFAULT_PIPELINE + "): SET a key of its own (expiring after " + KEY_TTL_MS / 1000 + " s), then GET"
                + " it back, checking every reply. Connecting and each reply may take at most --timeout seconds"
                + " (default " + DEFAULT_TIMEOUT + "). It prints the number of replies and the time taken and exits"
                + " with 0; or prints how many clients failed and the first failure (cannot connect, no reply in"
                + " time, a wrong reply) and exits with 1. The backend is --backend, else the weft.reactor property"
                + " or the WEFT_REACTOR variable, else untwisted.");
    }

    /**
     * Runs the clients on {@code reactor} until all are done, as the command does.
     *
     * @param reactor a reactor that never ran; it is stopped at the end
     * @param host    the server's host
     * @param port    the server's port
     * @param load    what to do
     * @param out     where the summary goes
     * @param err     where the failure goes
     * @return the exit code: 0 when every reply came and was right, else 1
     */
    static int run(Reactor reactor, String host, int port, Load load, PrintStream out, PrintStream err) {
        int[] exitCode = {1};
        out.println(NAME + ": " + load.clients() + " clients to " + NetSupport.format(host, port) + ", backend "
                + reactor.backendName());
        reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> out.println(NAME + ": stopped"));
        reactor.callWhenRunning(() -> clients(reactor, host, port, load).addBoth((summary, failure) -> {
            if (failure == null) {
                out.println(NAME + ": " + summary);
                exitCode[0] = 0;
            } else {
                err.println(NAME + ": " + failure.getMessage());
            }
            NetSupport.stopQuietly(reactor);
            return null;
        }));
        reactor.run();
        return exitCode[0];
    }

    /**
     * Starts the clients and gathers them. Call it on the reactor thread.
     *
     * @param reactor the reactor
     * @param host    the server's host
     * @param port    the server's port
     * @param load    what to do
     * @return a Deferred of the summary, or failing with an {@link IOException} that says how many clients failed
     *         and why the first did
     */
    static Deferred<Summary> clients(Reactor reactor, String host, int port, Load load) {
        String run = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        return Deferred.fromCoroutine(() -> {
            long start = System.nanoTime();
            List<Deferred<Integer>> clients = new ArrayList<>();
            for (int c = 1; c <= load.clients(); c++) {
                int id = c;
                clients.add(Deferred.fromCoroutine(() -> client(reactor, host, port, load, run, id)));
            }
            List<DeferredList.Outcome<Integer>> outcomes =
                    DeferredList.of(clients, DeferredList.Option.CONSUME_ERRORS).await();
            long replies = 0;
            int failed = 0;
            Throwable first = null;
            for (DeferredList.Outcome<Integer> o : outcomes) {
                if (o.succeeded()) {
                    replies += o.result();
                } else {
                    failed++;
                    first = first == null ? o.failure() : first;
                }
            }
            if (first != null) {
                throw new IOException(failed + " of " + load.clients() + " clients failed; the first: "
                        + first.getMessage(), first);
            }
            return new Summary(load, replies, (System.nanoTime() - start) / 1e9);
        });
    }

    /**
     * One client, as a coroutine: connects, then sends the commands in pipelines and checks each reply.
     *
     * @return the number of replies checked
     * @throws IOException naming the client, if it cannot connect, a reply does not come in time, or is wrong
     */
    private static int client(Reactor reactor, String host, int port, Load load, String run, int id)
            throws Exception {
        String who = "client " + id;
        StreamConnection connection;
        try {
            connection = Streams.openConnection(reactor, host, port, READ_LIMIT).addTimeout(load.timeout(), reactor)
                    .await();
        } catch (ConnectFailedException | DeferredTimeoutException e) {
            throw new IOException(who + ": cannot connect to " + NetSupport.format(host, port) + ": "
                    + (e instanceof DeferredTimeoutException ? "no connection within " + seconds(load.timeout())
                    : e.getMessage()), e);
        }
        Replies replies = new Replies(connection.reader(), reactor, load.timeout());
        try (StreamWriter writer = connection.writer()) {
            writer.transport().setTcpNoDelay(true); // each pipeline goes out at once, not after the last one's ACK
            int done = 0;
            while (done < load.requests()) {
                int batch = Math.min(load.pipeline(), load.requests() - done);
                ByteArrayOutputStream commands = new ByteArrayOutputStream();
                for (int i = done; i < done + batch; i++) {
                    commands.writeBytes(encode(command(run, id, i)));
                }
                writer.write(commands.toByteArray()); // the whole pipeline in one write
                writer.drain().await();
                for (int i = done; i < done + batch; i++) {
                    List<String> command = command(run, id, i);
                    Object reply;
                    try {
                        reply = replies.next();
                    } catch (DeferredTimeoutException e) {
                        throw new IOException(who + ": no reply to request " + (i + 1) + " (" + command.get(0) + " "
                                + command.get(1) + ") within " + seconds(load.timeout()), e);
                    }
                    Object expected = i % 2 == 0 ? "OK" : value(run, id, i / 2);
                    if (!expected.equals(reply)) {
                        throw new IOException(who + ": request " + (i + 1) + " (" + String.join(" ", command)
                                + "): expected " + expected + ", got " + reply);
                    }
                }
                done += batch;
            }
            return done;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(who + ":")) {
                throw e;
            }
            throw new IOException(who + ": " + e.getMessage(), e);
        }
    }

    /** Request {@code i} of client {@code id}: even ones SET a key, odd ones GET it back. */
    static List<String> command(String run, int id, int i) {
        String key = "weft-resp-client:" + run + ":" + id + ":" + i / 2;
        return i % 2 == 0 ? List.of("SET", key, value(run, id, i / 2), "PX", Long.toString(KEY_TTL_MS))
                : List.of("GET", key);
    }

    private static String value(String run, int id, int n) {
        return "value " + n + " of client " + id + " in run " + run;
    }

    /** A command as a RESP array of bulk strings. */
    static byte[] encode(List<String> args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.size()).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads RESP2 replies from a coroutine body, each within a timeout: a simple string or a bulk string as a
     * {@code String}, an integer as a {@code Long}, a null bulk string or array as null, an array as a {@code List},
     * an error as {@link ErrorReply}. A read that must wait gets {@link Deferred#addTimeout} with what is left of
     * the reply's time; one that the buffered bytes satisfy (most of a pipeline's) has fired and needs none.
     */
    static final class Replies {
        private final StreamReader reader;
        private final Reactor reactor;
        private final double timeout;
        private double deadline;

        Replies(StreamReader reader, Reactor reactor, double timeout) {
            this.reader = reader;
            this.reactor = reactor;
            this.timeout = timeout;
        }

        /**
         * The next reply, within the timeout from now.
         *
         * @return the reply
         * @throws DeferredTimeoutException if it did not come in time
         * @throws IOException              if it is malformed, or the stream ended first
         */
        Object next() throws Exception {
            deadline = reactor.seconds() + timeout;
            return reply();
        }

        private <T> T timed(Deferred<T> read) throws Exception {
            if (!read.isCalled()) {
                read.addTimeout(Math.max(0, deadline - reactor.seconds()), reactor);
            }
            return read.await();
        }

        private Object reply() throws Exception {
            byte[] line = timed(reader.readLine());
            if (line.length == 0) {
                throw new EOFException("the server closed the connection");
            }
            if (line.length < 3 || line[line.length - 2] != '\r') {
                throw new IOException("malformed reply line: " + printable(line));
            }
            String rest = new String(line, 1, line.length - 3, StandardCharsets.UTF_8);
            switch (line[0]) {
                case '+':
                    return rest;
                case '-':
                    return new ErrorReply(rest);
                case ':':
                    return number(rest, line);
                case '$': {
                    long n = number(rest, line);
                    if (n < 0) {
                        return null;
                    }
                    if (n > READ_LIMIT) {
                        throw new IOException("bulk reply of " + n + " bytes, more than the " + READ_LIMIT
                                + " accepted");
                    }
                    byte[] data = timed(reader.readExactly((int) n + 2));
                    return new String(data, 0, (int) n, StandardCharsets.UTF_8);
                }
                case '*': {
                    long n = number(rest, line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>();
                    for (long k = 0; k < n; k++) {
                        items.add(reply());
                    }
                    return items;
                }
                default:
                    throw new IOException("malformed reply line: " + printable(line));
            }
        }
    }

    private static long number(String s, byte[] line) throws IOException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("malformed reply line: " + printable(line), e);
        }
    }

    private static String printable(byte[] line) {
        String s = new String(line, 0, Math.min(line.length, 80), StandardCharsets.UTF_8);
        return "'" + s.replace("\r", "\\r").replace("\n", "\\n") + (line.length > 80 ? "...'" : "'");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%s s", s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s));
    }

    /**
     * An error reply ({@code -ERR ...}).
     *
     * @param message the text after the {@code -}
     */
    record ErrorReply(String message) {
        @Override
        public String toString() {
            return "error '" + message + "'";
        }
    }

    private static double doubleOption(Options options, String name, double defaultValue) {
        String s = options.extra(name, null);
        if (s == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number of seconds, got '" + s + "'");
        }
    }
}
