package dev.weft.examples;

import dev.weft.defer.Deferred;
import dev.weft.reactor.Reactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/** Helpers for the tests of the network examples: bounded waits, shutdown, captured output. */
final class NetTesting {

    static final String LOOPBACK = "127.0.0.1";

    /** The longest a test waits for any one thing, in seconds. */
    static final double WAIT_SECONDS = 10.0;

    /**
     * What {@code Reactors.create(backend).backendName()} reports with the default configuration: the backend's
     * name, with the Netty transport ({@code nio} by default) for {@code netty}.
     */
    static String backendName(String backend) {
        return backend.equals("netty") ? "netty-nio" : backend;
    }

    private NetTesting() {
    }

    /** Runs the reactor until {@code d} fires, for at most {@link #WAIT_SECONDS}. */
    static <T> T await(Reactor reactor, Deferred<T> d) throws Exception {
        return reactor.runUntil(d.addTimeout(WAIT_SECONDS, reactor));
    }

    /** Stops the reactor and runs its shutdown (after {@code runUntil}, or on a reactor that never ran). */
    static void shutDown(Reactor reactor) {
        reactor.callLater(0, () -> NetSupport.stopQuietly(reactor));
        reactor.run();
    }

    /** A loopback port that nothing listens on (bound, then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    /** The exit code and output of {@code Main.run(args)}. */
    record Run(int code, String out, String err) {
    }

    /** Runs {@code Main.run(args)} with {@code System.out} and {@code System.err} captured, and restores them. */
    static synchronized Run runMain(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A PrintStream whose text can be read back. */
    static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
