package dev.weft.examples;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorGroup;
import dev.weft.reactor.Reactors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The command-line options the examples share: {@code --backend NAME}, {@code --port N}, {@code --host H},
 * {@code --reactors N} (the servers that can run on a reactor group) and {@code --help}, plus the {@code --name value} options an example declares for itself.
 */
final class Options {
    /** The backend asked for, or null for the configured one ({@code weft.reactor}, {@code WEFT_REACTOR}). */
    final String backend;
    /** The port asked for, or -1 when not given. */
    final int port;
    /** The host to bind (servers) or connect to (clients); 127.0.0.1 when not given. */
    final String host;
    /** Whether {@code --help} was given. */
    final boolean help;
    /** The endpoint description of {@code --listen} (e.g. {@code unix:/tmp/weft.sock}), or null. */
    final String listen;
    /** How many reactors ({@code --reactors N}, a reactor group when more than 1); 1 when not given. */
    final int reactors;
    private final Map<String, String> extra;

    private Options(String backend, int port, String host, boolean help, String listen, int reactors,
            Map<String, String> extra) {
        this.listen = listen;
        this.reactors = reactors;
        this.backend = backend;
        this.port = port;
        this.host = host;
        this.help = help;
        this.extra = extra;
    }

    /**
     * Parses the shared options only.
     *
     * @param args the arguments after the example's name
     * @return the options
     * @throws IllegalArgumentException on an unknown option or a bad value, with a message naming it
     */
    static Options parse(String[] args) {
        return parse(args, Set.of());
    }

    /**
     * Parses the shared options and the example's own {@code --name value} options.
     *
     * @param args       the arguments after the example's name
     * @param extraNames the example's own option names, without the leading dashes
     * @return the options
     * @throws IllegalArgumentException on an unknown option or a bad value, with a message naming it
     */
    static Options parse(String[] args, Set<String> extraNames) {
        String backend = null;
        int port = -1;
        String host = "127.0.0.1";
        boolean help = false;
        String listen = null;
        int reactors = 1;
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--backend":
                    backend = value(args, i++, "untwisted or netty");
                    break;
                case "--port":
                    port = parsePort(value(args, i++, "a port number"));
                    break;
                case "--host":
                    host = value(args, i++, "an address");
                    break;
                case "--listen":
                    listen = value(args, i++, "an endpoint description such as tcp:6379:interface=127.0.0.1 or "
                            + "unix:/tmp/weft.sock");
                    break;
                case "--reactors":
                    reactors = parseReactors(value(args, i++, "a number of reactors, at least 1"));
                    break;
                case "--help":
                case "-h":
                    help = true;
                    break;
                default:
                    String name = a.startsWith("--") ? a.substring(2) : null;
                    if (name == null || !extraNames.contains(name)) {
                        throw new IllegalArgumentException("unknown option '" + a + "'");
                    }
                    extra.put(name, value(args, i++, "a value"));
            }
        }
        if (listen != null && port >= 0) {
            throw new IllegalArgumentException("--listen and --port exclude each other: the description names the "
                    + "port");
        }
        if (listen != null && reactors > 1) {
            throw new IllegalArgumentException("--listen and --reactors exclude each other: a reactor group listens on"
                    + " TCP ports (--port)");
        }
        return new Options(backend, port, host, help, listen, reactors, Collections.unmodifiableMap(extra));
    }

    /**
     * The port given, or {@code defaultPort}.
     *
     * @param defaultPort the example's default
     * @return the port
     */
    int portOr(int defaultPort) {
        return port >= 0 ? port : defaultPort;
    }

    /**
     * An example-specific option.
     *
     * @param name         the option name, without dashes
     * @param defaultValue the value when it was not given
     * @return the value
     */
    String extra(String name, String defaultValue) {
        return extra.getOrDefault(name, defaultValue);
    }

    /**
     * An example-specific whole-number option.
     *
     * @param name         the option name, without dashes
     * @param defaultValue the value when it was not given
     * @return the value
     * @throws IllegalArgumentException naming the option, if the value is not a number
     */
    int intExtra(String name, int defaultValue) {
        String s = extra.get(name);
        if (s == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + s + "'");
        }
    }

    /**
     * Creates the reactor of the backend asked for, or of the configured one.
     *
     * @return a new reactor
     * @throws IllegalArgumentException if the backend is unknown
     */
    Reactor createReactor() {
        return backend == null ? Reactors.create() : Reactors.create(backend);
    }

    /**
     * Creates a group of {@link #reactors} reactors of the backend asked for, or of the configured one.
     *
     * @return a new group
     * @throws IllegalArgumentException if the backend is unknown
     */
    ReactorGroup createGroup() {
        return backend == null ? Reactors.createGroup(reactors) : Reactors.createGroup(backend, reactors);
    }

    private static int parseReactors(String s) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new IllegalArgumentException("--reactors must be a number, at least 1, got '" + s + "'");
        }
        return n;
    }

    private static String value(String[] args, int i, String what) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value: " + what);
        }
        return args[i + 1];
    }

    private static int parsePort(String s) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number from 0 to 65535, got '" + s + "'");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("--port must be a number from 0 to 65535, got " + p);
        }
        return p;
    }
}
