package dev.weft.examples;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.ReactorTCP;
import java.io.PrintStream;

/**
 * An echo server, Twisted's {@code Echo}: every byte a client sends is written back to it.
 *
 * <pre>
 * class Echo(protocol.Protocol):
 *     def dataReceived(self, data):
 *         self.transport.write(data)
 * </pre>
 */
final class EchoExample {

    /** The example's name, as given to {@code weft-examples.jar}. */
    static final String NAME = "echo";

    /** The port it listens on when {@code --port} is not given. */
    static final int DEFAULT_PORT = 8000;

    private EchoExample() {
    }

    static int main(String[] args) {
        return NetSupport.runServer(NAME, args, usage(), EchoExample::printHelp, DEFAULT_PORT, EchoExample::start,
                EchoExample::startGroup);
    }

    static String usage() {
        return NAME + " [--port N] [--host H] [--backend untwisted|netty] [--reactors N] [--help]";
    }

    static void printHelp(PrintStream out) {
        out.println("usage: " + usage());
        NetSupport.printParagraph(out,
                "An echo server (Twisted's Echo protocol): every byte a client sends is written back to it,"
                + " unchanged and in order, until the client closes the connection. It listens on --host (default"
                + " 127.0.0.1) and --port (default " + DEFAULT_PORT + "; 0 lets the system pick a free port), prints"
                + " the address it bound and the backend in use (--backend, else the weft.reactor property or the"
                + " WEFT_REACTOR variable, else untwisted), and serves until Ctrl-C, when it prints '" + NAME
                + ": stopped'. With --reactors N (N above 1) a group of N reactors, each on its own thread, serves the"
                + " port together. Try it with 'nc 127.0.0.1 " + DEFAULT_PORT + "' or with the echo-client example.");
    }

    /**
     * Listens, prints the line that says where, and prints {@code echo: stopped} when the reactor shuts down.
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the address to bind
     * @param port    the port, 0 for one the system picks
     * @param out     where to print
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        return NetSupport.announce(NAME, reactor, listen(reactor, host, port), out);
    }

    /**
     * Listens with every member of a reactor group and prints the line that says where.
     *
     * @param group the group, not yet running
     * @param host  the address to bind
     * @param port  the port, 0 for one the system picks
     * @param out   where to print
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort startGroup(ReactorGroup group, String host, int port, PrintStream out) {
        ListeningPort listening = group.listenTCP(port, Factory.forProtocol(Echo::new), ReactorTCP.DEFAULT_BACKLOG,
                host);
        out.println(NAME + ": listening on " + NetSupport.format(listening.getHost()) + ", backend "
                + group.member(0).backendName() + ", " + group.size() + " reactors");
        return listening;
    }

    /**
     * Starts an echo server.
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the address to bind
     * @param port    the port, 0 for one the system picks
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort listen(Reactor reactor, String host, int port) {
        return reactor.listenTCP(port, Factory.forProtocol(Echo::new), ReactorTCP.DEFAULT_BACKLOG, host);
    }

    /** Writes back what it receives. */
    static final class Echo extends Protocol {
        @Override
        public void dataReceived(byte[] data) {
            transport.write(data);
        }
    }
}
