package dev.weft.examples;

import dev.weft.examples.resp.RespServer;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import java.io.PrintStream;

/**
 * {@code resp}: a key-value server speaking the Redis protocol (RESP2), which {@code redis-cli} and
 * {@code redis-benchmark} can drive, on the backend chosen by {@code --backend} (or {@code weft.reactor}).
 * It runs until Ctrl-C, which runs the reactor's shutdown triggers.
 */
final class RespExample {

    /** Redis's port. */
    static final int DEFAULT_PORT = 6379;

    private RespExample() {
    }

    static int main(String[] args) {
        return NetSupport.runServer("resp", args,
                "resp [--port N] [--host H] [--backend untwisted|netty] [--reactors N] [--help]", RespExample::usage,
                DEFAULT_PORT, RespExample::start, RespExample::startGroup);
    }

    /**
     * Listens, prints {@code resp: listening on HOST:PORT, backend NAME} with the bound port, and arranges for
     * {@code resp: stopped} to be printed when the reactor shuts down. Does not run the reactor.
     *
     * @param reactor the reactor
     * @param host    the address to bind
     * @param port    the port, 0 for a free one
     * @param out     where the two lines go
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        ListeningPort listening = RespServer.listen(reactor, host, port);
        reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> out.println("resp: stopped"));
        out.println("resp: listening on " + host + ":" + listening.getHost().getPort()
                + ", backend " + reactor.backendName());
        return listening;
    }

    /**
     * Listens with every member of a reactor group over one store ({@link RespServer#listen(ReactorGroup, String,
     * int)}) and prints {@code resp: listening on HOST:PORT, backend NAME, N reactors}.
     *
     * @param group the group, not yet running
     * @param host  the address to bind
     * @param port  the port, 0 for a free one
     * @param out   where the line goes
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort startGroup(ReactorGroup group, String host, int port, PrintStream out) {
        ListeningPort listening = RespServer.listen(group, host, port);
        out.println("resp: listening on " + host + ":" + listening.getHost().getPort()
                + ", backend " + group.member(0).backendName() + ", " + group.size() + " reactors");
        return listening;
    }

    private static void usage(PrintStream out) {
        out.println("usage: resp [--port N] [--host ADDRESS] [--backend untwisted|netty] [--reactors N]");
        out.println("A key-value server speaking the Redis protocol (RESP2) on HOST:PORT (default 127.0.0.1:"
                + DEFAULT_PORT + "),");
        out.println("for redis-cli and redis-benchmark. One in-memory store (database 0) shared by every client;");
        out.println("keys and values are byte strings. Ctrl-C stops it. With --reactors N (N above 1), a group of");
        out.println("N reactors serves the port together, each command run under the store's lock.");
        out.println("commands (case-insensitive):");
        for (String c : RespServer.commandSummaries()) {
            out.println("  " + c);
        }
    }
}
