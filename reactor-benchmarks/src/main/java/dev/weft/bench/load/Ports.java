package dev.weft.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports: parsing a port argument, and picking a free one on the loopback interface. */
final class Ports {

    private Ports() {
    }

    /**
     * Parses a port argument.
     *
     * @param s the argument
     * @return the port, 0 to 65535
     * @throws IllegalArgumentException if it is not one
     */
    static int parse(String s) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number from 0 to 65535, got '" + s + "'");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port must be a number from 0 to 65535, got " + p);
        }
        return p;
    }

    /**
     * A port free on 127.0.0.1 now (bound and released at once; another process could take it before it is used).
     *
     * @return the port
     */
    static int free() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}
