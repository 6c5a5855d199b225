package dev.weft.examples;

import dev.weft.endpoints.Endpoints;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Phase;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorCore;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.ReactorNotRunningException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** What the network examples share: the main of a server example, formatting addresses, stopping a reactor. */
final class NetSupport {

    /** The width of the {@code --help} text. */
    static final int HELP_WIDTH = 100;

    private NetSupport() {
    }

    /**
     * {@code host:port}, with the numeric address when there is one, and an IPv6 address in brackets.
     *
     * @param address the address
     * @return e.g. {@code 127.0.0.1:8000} or {@code [::1]:8000}
     */
    static String format(InetSocketAddress address) {
        if (address.isUnresolved() && address.getPort() == 0 && address.getHostString().startsWith("/")) {
            return address.getHostString(); // a UNIX socket's path
        }
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address || (ip == null && host.indexOf(':') >= 0)) {
            host = "[" + host + "]";
        }
        return host + ":" + address.getPort();
    }

    /**
     * {@code host:port} for a host as given on the command line (not resolved).
     *
     * @param host a host name or address literal
     * @param port the port
     * @return e.g. {@code 127.0.0.1:8000}
     */
    static String format(String host, int port) {
        return format(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * Prints {@code text} wrapped at {@value #HELP_WIDTH} columns, breaking at spaces.
     *
     * @param out  where to print
     * @param text one paragraph
     */
    static void printParagraph(PrintStream out, String text) {
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > HELP_WIDTH) {
                out.println(line);
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            out.println(line);
        }
    }

    /**
     * A server example's announcement: prints {@code NAME: listening on ADDRESS, backend BACKEND} now and
     * {@code NAME: stopped} when the reactor has shut down (an {@code AFTER} shutdown trigger). The reactor's thread,
     * or before it runs.
     *
     * @param name      the example's name
     * @param reactor   the reactor that listens
     * @param listening the port it listens on
     * @param out       where to print
     * @return {@code listening}
     */
    static ListeningPort announce(String name, Reactor reactor, ListeningPort listening, PrintStream out) {
        out.println(name + ": listening on " + format(listening.getHost()) + ", backend " + reactor.backendName());
        reactor.addSystemEventTrigger(Phase.AFTER, ReactorCore.SHUTDOWN, () -> out.println(name + ": stopped"));
        return listening;
    }

    /**
     * Stops the reactor unless it is stopping already (a Ctrl-C may have got there first). Reactor thread only.
     *
     * @param reactor the reactor
     */
    static void stopQuietly(Reactor reactor) {
        try {
            reactor.stop();
        } catch (ReactorNotRunningException alreadyStopping) {
            // shutdown is under way: nothing more to do
        }
    }

    /**
     * Releases a reactor that was created but will not serve (its listen failed): runs it just long enough to shut
     * it down, so its threads and selector are freed.
     *
     * @param reactor a reactor that never ran
     */
    static void discard(Reactor reactor) {
        reactor.callWhenRunning(() -> stopQuietly(reactor));
        reactor.run();
    }

    /** Starts a server example on a reactor: listens, prints its startup line, arranges its shutdown line. */
    @FunctionalInterface
    interface ServerStart {
        /**
         * @param reactor the reactor, not running yet
         * @param host    the address to bind
         * @param port    the port, 0 for a free one
         * @param out     where the example prints
         * @return the bound port
         * @throws CannotListenException if the port cannot be bound
         */
        ListeningPort start(Reactor reactor, String host, int port, PrintStream out);
    }

    /**
     * The {@code main} of a server example, written once: parses the shared options (exit 2 with the usage on a bad
     * one), prints the help for {@code --help} (exit 0), creates the reactor of the backend asked for (exit 2 if
     * unknown), starts the server (exit 1 if the port cannot be bound) and runs the reactor until Ctrl-C.
     *
     * @param name        the example's name, the prefix of its messages
     * @param args        the arguments after the example's name
     * @param usage       the one-line usage
     * @param help        prints the help
     * @param defaultPort the port when {@code --port} is not given
     * @param start       starts the server
     * @return the exit code
     */
    static int runServer(String name, String[] args, String usage, Consumer<PrintStream> help,
            int defaultPort, ServerStart start) {
        return runServer(name, args, usage, help, defaultPort, start, null);
    }

    /** Starts a server example on a reactor group: listens with the whole group, prints its startup line. */
    @FunctionalInterface
    interface GroupStart {
        /**
         * @param group the group, not running yet
         * @param host  the address to bind
         * @param port  the port, 0 for a free one
         * @param out   where the example prints
         * @return the bound port
         * @throws CannotListenException if the port cannot be bound
         */
        ListeningPort start(ReactorGroup group, String host, int port, PrintStream out);
    }

    /**
     * {@link #runServer(String, String[], String, Consumer, int, ServerStart)} for an example that can also run on a
     * reactor group: with {@code --reactors N} (N above 1) it makes a group of N reactors, starts the server with
     * {@code groupStart}, runs the group until Ctrl-C (every member stops) and prints {@code NAME: stopped}.
     *
     * @param name        the example's name, the prefix of its messages
     * @param args        the arguments after the example's name
     * @param usage       the one-line usage
     * @param help        prints the help
     * @param defaultPort the port when {@code --port} is not given
     * @param start       starts the server on one reactor
     * @param groupStart  starts the server on a group, or null if the example cannot
     * @return the exit code
     */
    static int runServer(String name, String[] args, String usage, Consumer<PrintStream> help,
            int defaultPort, ServerStart start, GroupStart groupStart) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println("usage: " + usage);
            return 2;
        }
        if (options.help) {
            help.accept(System.out);
            return 0;
        }
        if (options.reactors > 1) {
            if (groupStart == null) {
                System.err.println(name + ": --reactors: this example runs on one reactor");
                return 2;
            }
            return runGroup(name, options, defaultPort, groupStart);
        }
        Reactor reactor;
        try {
            reactor = options.createReactor();
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            return 2;
        }
        try {
            Reactor listening = reactor;
            if (options.listen != null) {
                listening = EndpointReactor.listeningOn(reactor, Endpoints.serverFromString(reactor, options.listen));
            }
            start.start(listening, options.host, options.portOr(defaultPort), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": --listen: " + e.getMessage());
            discard(reactor);
            return 2;
        } catch (CannotListenException e) {
            System.err.println(name + ": " + e.getMessage());
            discard(reactor);
            return 1;
        }
        reactor.run();
        return 0;
    }

    private static int runGroup(String name, Options options, int defaultPort, GroupStart start) {
        ReactorGroup group;
        try {
            group = options.createGroup();
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            return 2;
        }
        try {
            start.start(group, options.host, options.portOr(defaultPort), System.out);
        } catch (CannotListenException e) {
            System.err.println(name + ": " + e.getMessage());
            return 1;
        }
        group.run();
        System.out.println(name + ": stopped");
        return 0;
    }
}
