package dev.weft.examples;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorNotRunningException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** What the network examples share: formatting addresses, and stopping a reactor. */
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
}
