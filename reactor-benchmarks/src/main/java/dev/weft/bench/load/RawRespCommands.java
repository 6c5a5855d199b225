package dev.weft.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The commands of the raw RESP baselines, with the replies and error texts of the Weft {@code resp} example (and of
 * Redis): PING, ECHO, SET (NX, XX, GET, EX, PX, KEEPTTL), GET, DEL, EXISTS, INCR, MGET, MSET, CONFIG GET, COMMAND
 * (DOCS, COUNT) and QUIT. Names are matched ignoring ASCII case, without allocating.
 */
final class RawRespCommands {

    static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    static final String SYNTAX = "ERR syntax error";

    private static final int PING = 0;
    private static final int ECHO = 1;
    private static final int SET = 2;
    private static final int GET = 3;
    private static final int DEL = 4;
    private static final int EXISTS = 5;
    private static final int INCR = 6;
    private static final int MGET = 7;
    private static final int MSET = 8;
    private static final int CONFIG = 9;
    private static final int COMMAND = 10;
    private static final int QUIT = 11;

    private static final String[] NAMES = {
        "ping", "echo", "set", "get", "del", "exists", "incr", "mget", "mset", "config", "command", "quit"};
    /** Redis arity: n exactly, or at least n when negative (the name counts). */
    private static final int[] ARITY = {-1, 2, -3, 2, -2, -2, 2, -2, -3, -2, -1, -1};
    private static final byte[][] LOWER = new byte[NAMES.length][];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            LOWER[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private RawRespCommands() {
    }

    /** The number of commands (for COMMAND COUNT). */
    static int count() {
        return NAMES.length;
    }

    /** The index of a command by name, ignoring ASCII case, or -1. */
    static int lookup(byte[] name) {
        for (int c = 0; c < LOWER.length; c++) {
            byte[] l = LOWER[c];
            if (l.length != name.length) {
                continue;
            }
            int i = 0;
            while (i < l.length) {
                int b = name[i];
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != l[i]) {
                    break;
                }
                i++;
            }
            if (i == l.length) {
                return c;
            }
        }
        return -1;
    }

    /**
     * Runs one command, writing its reply.
     *
     * @param store the store
     * @param argv  the arguments, the name first
     * @param argc  how many, at least 1
     * @param out   where the reply goes
     * @return false to close the connection after the reply (QUIT)
     */
    static boolean execute(RawStore store, byte[][] argv, int argc, ReplyWriter out) {
        int c = lookup(argv[0]);
        if (c < 0) {
            out.error(unknownCommand(argv, argc));
            return true;
        }
        int arity = ARITY[c];
        if (arity > 0 ? argc != arity : argc < -arity) {
            out.error(wrongArity(NAMES[c]));
            return true;
        }
        switch (c) {
            case PING:
                if (argc > 2) {
                    out.error(wrongArity("ping"));
                } else if (argc == 2) {
                    out.bulk(argv[1]);
                } else {
                    out.raw(ReplyWriter.PONG);
                }
                return true;
            case ECHO:
                out.bulk(argv[1]);
                return true;
            case SET:
                set(store, argv, argc, out);
                return true;
            case GET:
                out.bulk(store.get(argv[1]));
                return true;
            case DEL: {
                long n = 0;
                for (int i = 1; i < argc; i++) {
                    if (store.delete(argv[i])) {
                        n++;
                    }
                }
                out.integer(n);
                return true;
            }
            case EXISTS: {
                long n = 0;
                for (int i = 1; i < argc; i++) {
                    if (store.exists(argv[i])) {
                        n++;
                    }
                }
                out.integer(n);
                return true;
            }
            case INCR:
                incr(store, argv, out);
                return true;
            case MGET:
                out.arrayHeader(argc - 1);
                for (int i = 1; i < argc; i++) {
                    out.bulk(store.get(argv[i]));
                }
                return true;
            case MSET:
                if (argc % 2 == 0) {
                    out.error(wrongArity("mset"));
                    return true;
                }
                for (int i = 1; i < argc; i += 2) {
                    store.set(argv[i], argv[i + 1]);
                }
                out.raw(ReplyWriter.OK);
                return true;
            case CONFIG:
                config(argv, argc, out);
                return true;
            case COMMAND:
                command(argv, argc, out);
                return true;
            case QUIT:
            default:
                out.raw(ReplyWriter.OK);
                return false;
        }
    }

    static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    static String unknownCommand(byte[][] argv, int argc) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argc && args.length() < 128; i++) {
            args.append('\'').append(latin1(argv[i], 128 - args.length())).append("' ");
        }
        return "ERR unknown command '" + latin1(argv[0], 128) + "', with args beginning with: " + args;
    }

    private static String latin1(byte[] b, int max) {
        return new String(b, 0, Math.min(b.length, max), StandardCharsets.ISO_8859_1);
    }

    private static String option(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    private static void set(RawStore store, byte[][] argv, int argc, ReplyWriter out) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        long expireMs = -1;
        for (int i = 3; i < argc; i++) {
            String opt = option(argv[i]);
            boolean hasNext = i + 1 < argc;
            if (opt.equals("nx") && !xx) {
                nx = true;
            } else if (opt.equals("xx") && !nx) {
                xx = true;
            } else if (opt.equals("get")) {
                get = true;
            } else if (opt.equals("keepttl") && expireMs < 0) {
                keepTtl = true;
            } else if ((opt.equals("ex") || opt.equals("px")) && !keepTtl && expireMs < 0 && hasNext) {
                long v;
                try {
                    v = parseLong(argv[++i]);
                } catch (NumberFormatException e) {
                    out.error(NOT_AN_INTEGER);
                    return;
                }
                if (v <= 0 || v > Long.MAX_VALUE / 1000 / 2) {
                    out.error("ERR invalid expire time in 'set' command");
                    return;
                }
                expireMs = opt.equals("ex") ? v * 1000 : v;
            } else {
                out.error(SYNTAX);
                return;
            }
        }
        byte[] old = get || nx || xx ? store.get(argv[1]) : null;
        boolean write = !(nx && old != null) && !(xx && old == null);
        if (write) {
            store.set(argv[1], argv[2], expireMs < 0 ? -1 : RawStore.nowMillis() + expireMs, keepTtl);
        }
        if (get) {
            out.bulk(old);
        } else if (write) {
            out.raw(ReplyWriter.OK);
        } else {
            out.bulk(null);
        }
    }

    private static void incr(RawStore store, byte[][] argv, ReplyWriter out) {
        byte[] old = store.get(argv[1]);
        long v;
        try {
            v = old == null ? 0 : parseLong(old);
        } catch (NumberFormatException e) {
            out.error(NOT_AN_INTEGER);
            return;
        }
        if (v == Long.MAX_VALUE) {
            out.error("ERR increment or decrement would overflow");
            return;
        }
        v++;
        byte[] value = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        if (old == null) {
            store.set(argv[1], value);
        } else {
            store.replace(argv[1], value);
        }
        out.integer(v);
    }

    /** CONFIG GET with the parameters redis-benchmark asks for ({@code save}, {@code appendonly}), and databases. */
    private static void config(byte[][] argv, int argc, ReplyWriter out) {
        if (!option(argv[1]).equals("get")) {
            out.error("ERR unknown subcommand '" + latin1(argv[1], 128) + "'. Try CONFIG HELP.");
            return;
        }
        if (argc < 3) {
            out.error(wrongArity("config|get"));
            return;
        }
        String[][] known = {{"save", ""}, {"appendonly", "no"}, {"databases", "1"}};
        String[] found = new String[known.length * 2];
        int n = 0;
        for (String[] kv : known) {
            for (int i = 2; i < argc; i++) {
                String p = option(argv[i]);
                if (p.equals(kv[0]) || p.equals("*")) {
                    found[n++] = kv[0];
                    found[n++] = kv[1];
                    break;
                }
            }
        }
        out.arrayHeader(n);
        for (int i = 0; i < n; i++) {
            out.bulk(ReplyWriter.ascii(found[i]));
        }
    }

    private static void command(byte[][] argv, int argc, ReplyWriter out) {
        String sub = argc > 1 ? option(argv[1]) : "";
        switch (sub) {
            case "":
            case "docs":
                out.arrayHeader(0);
                break;
            case "count":
                out.integer(count());
                break;
            default:
                out.error("ERR unknown subcommand '" + latin1(argv[1], 128) + "'. Try COMMAND HELP.");
        }
    }

    /** A decimal integer as Redis reads one: optional minus, no plus, no spaces, no leading zeros. */
    static long parseLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) {
            throw new NumberFormatException();
        }
        if (n == 1 && b[0] == '0') {
            return 0;
        }
        boolean negative = b[0] == '-';
        int i = negative ? 1 : 0;
        if (i == n || b[i] < '1' || b[i] > '9') {
            throw new NumberFormatException();
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                throw new NumberFormatException();
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                throw new NumberFormatException();
            }
            v = -v;
        }
        return v;
    }
}
