package dev.weft.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The command table of the RESP server: each command's name, arity and implementation, and the lookup by name
 * (ASCII case-insensitive, without allocating).
 *
 * <p>Arity follows Redis: a positive arity is the exact number of arguments, command name included; a negative
 * one, {@code -n}, means at least {@code n}. Errors read as Redis's do.
 */
final class RespCommands {

    /** What a command does: replies to {@code out}, and returns false to close the connection after the reply. */
    @FunctionalInterface
    interface Impl {
        boolean run(RespStore store, RespReply out, byte[][] argv, int argc);
    }

    /** One entry of the table. */
    static final class Command {
        final String name;
        final int arity;
        final String summary;
        private final byte[] lower;
        private final Impl impl;

        Command(String name, int arity, String summary, Impl impl) {
            this.name = name;
            this.arity = arity;
            this.summary = summary;
            this.lower = name.getBytes(StandardCharsets.US_ASCII);
            this.impl = impl;
        }

        boolean matches(byte[] s) {
            if (s.length != lower.length) {
                return false;
            }
            for (int i = 0; i < s.length; i++) {
                int c = s[i];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != lower[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    static final String SYNTAX = "ERR syntax error";

    private static final byte[] PONG = RespReply.ascii("+PONG\r\n");
    private static final List<Command> COMMANDS = List.of(
            new Command("ping", -1, "PING [message]", RespCommands::ping),
            new Command("echo", 2, "ECHO message", (s, o, a, n) -> bulk(o, a[1])),
            new Command("set", -3, "SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]",
                    RespCommands::set),
            new Command("get", 2, "GET key", (s, o, a, n) -> bulk(o, s.get(a[1]))),
            new Command("del", -2, "DEL key [key ...]", RespCommands::del),
            new Command("exists", -2, "EXISTS key [key ...]", RespCommands::exists),
            new Command("incr", 2, "INCR key", RespCommands::incr),
            new Command("mget", -2, "MGET key [key ...]", RespCommands::mget),
            new Command("mset", -3, "MSET key value [key value ...]", RespCommands::mset),
            new Command("ttl", 2, "TTL key", (s, o, a, n) -> integer(o, ttlSeconds(s.ttlMillis(a[1])))),
            new Command("pttl", 2, "PTTL key", (s, o, a, n) -> integer(o, s.ttlMillis(a[1]))),
            new Command("dbsize", 1, "DBSIZE", (s, o, a, n) -> integer(o, s.size())),
            new Command("flushall", -1, "FLUSHALL [ASYNC|SYNC]", RespCommands::flush),
            new Command("flushdb", -1, "FLUSHDB [ASYNC|SYNC]", RespCommands::flush),
            new Command("select", 2, "SELECT 0 (the only database)", RespCommands::select),
            new Command("command", -1, "COMMAND [DOCS|COUNT] (an empty array)", RespCommands::command),
            new Command("config", -2, "CONFIG GET parameter [parameter ...]", RespCommands::config),
            new Command("quit", -1, "QUIT", (s, o, a, n) -> {
                o.ok();
                return false;
            }));

    /** The commands by name length, for a lookup with no allocation. */
    private static final Command[][] BY_LENGTH;

    static {
        int max = 0;
        for (Command c : COMMANDS) {
            max = Math.max(max, c.name.length());
        }
        List<List<Command>> lists = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            lists.add(new ArrayList<>());
        }
        for (Command c : COMMANDS) {
            lists.get(c.name.length()).add(c);
        }
        BY_LENGTH = new Command[max + 1][];
        for (int i = 0; i <= max; i++) {
            BY_LENGTH[i] = lists.get(i).toArray(new Command[0]);
        }
    }

    private RespCommands() {
    }

    /**
     * The commands, in the order of the table (for help texts).
     *
     * @return every command
     */
    static List<Command> all() {
        return Collections.unmodifiableList(COMMANDS);
    }

    /**
     * Finds a command by name, ignoring ASCII case.
     *
     * @param name the name as sent
     * @return the command, or null
     */
    static Command lookup(byte[] name) {
        if (name.length >= BY_LENGTH.length) {
            return null;
        }
        for (Command c : BY_LENGTH[name.length]) {
            if (c.matches(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Runs one command: checks its name and arity, then runs it, replying to {@code out}.
     *
     * @param store the store
     * @param out   where the reply goes
     * @param argv  the arguments, the name first
     * @param argc  how many arguments, at least 1
     * @return false when the connection must close after the reply (QUIT)
     */
    static boolean execute(RespStore store, RespReply out, byte[][] argv, int argc) {
        Command c = lookup(argv[0]);
        if (c == null) {
            out.error(unknownCommand(argv, argc));
            return true;
        }
        if (c.arity > 0 ? argc != c.arity : argc < -c.arity) {
            out.error(wrongArity(c.name));
            return true;
        }
        return c.impl.run(store, out, argv, argc);
    }

    static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    /** Redis's text: the name as sent, then the first arguments, quoted, up to about 128 characters. */
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

    private static boolean bulk(RespReply out, byte[] value) {
        out.bulk(value);
        return true;
    }

    private static boolean integer(RespReply out, long value) {
        out.integer(value);
        return true;
    }

    private static long ttlSeconds(long ms) {
        return ms < 0 ? ms : (ms + 500) / 1000;
    }

    private static boolean ping(RespStore store, RespReply out, byte[][] argv, int argc) {
        if (argc > 2) {
            out.error(wrongArity("ping"));
        } else if (argc == 2) {
            out.bulk(argv[1]);
        } else {
            out.raw(PONG);
        }
        return true;
    }

    private static boolean set(RespStore store, RespReply out, byte[][] argv, int argc) {
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
                    return true;
                }
                long unit = opt.equals("ex") ? 1000 : 1;
                if (v <= 0 || v > Long.MAX_VALUE / 1000 / 2) {
                    out.error("ERR invalid expire time in 'set' command");
                    return true;
                }
                expireMs = v * unit;
            } else {
                out.error(SYNTAX);
                return true;
            }
        }
        byte[] old = get || nx || xx ? store.get(argv[1]) : null;
        boolean write = !(nx && old != null) && !(xx && old == null);
        if (write) {
            store.set(argv[1], argv[2], expireMs < 0 ? -1 : store.nowMillis() + expireMs, keepTtl);
        }
        if (get) {
            out.bulk(old);
        } else if (write) {
            out.ok();
        } else {
            out.bulk(null);
        }
        return true;
    }

    private static boolean del(RespStore store, RespReply out, byte[][] argv, int argc) {
        long n = 0;
        for (int i = 1; i < argc; i++) {
            if (store.delete(argv[i])) {
                n++;
            }
        }
        out.integer(n);
        return true;
    }

    private static boolean exists(RespStore store, RespReply out, byte[][] argv, int argc) {
        long n = 0;
        for (int i = 1; i < argc; i++) {
            if (store.exists(argv[i])) {
                n++;
            }
        }
        out.integer(n);
        return true;
    }

    private static boolean incr(RespStore store, RespReply out, byte[][] argv, int argc) {
        byte[] old = store.get(argv[1]);
        long v;
        try {
            v = old == null ? 0 : parseLong(old);
        } catch (NumberFormatException e) {
            out.error(NOT_AN_INTEGER);
            return true;
        }
        if (v == Long.MAX_VALUE) {
            out.error("ERR increment or decrement would overflow");
            return true;
        }
        v++;
        byte[] value = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        if (old == null) {
            store.set(argv[1], value);
        } else {
            store.replace(argv[1], value);
        }
        out.integer(v);
        return true;
    }

    private static boolean mget(RespStore store, RespReply out, byte[][] argv, int argc) {
        out.arrayHeader(argc - 1);
        for (int i = 1; i < argc; i++) {
            out.bulk(store.get(argv[i]));
            out.flushIfFull();
        }
        return true;
    }

    private static boolean mset(RespStore store, RespReply out, byte[][] argv, int argc) {
        if (argc % 2 == 0) {
            out.error(wrongArity("mset"));
            return true;
        }
        for (int i = 1; i < argc; i += 2) {
            store.set(argv[i], argv[i + 1]);
        }
        out.ok();
        return true;
    }

    private static boolean flush(RespStore store, RespReply out, byte[][] argv, int argc) {
        if (argc > 2 || argc == 2 && !option(argv[1]).equals("async") && !option(argv[1]).equals("sync")) {
            out.error(SYNTAX);
            return true;
        }
        store.clear();
        out.ok();
        return true;
    }

    private static boolean select(RespStore store, RespReply out, byte[][] argv, int argc) {
        long db;
        try {
            db = parseLong(argv[1]);
        } catch (NumberFormatException e) {
            out.error(NOT_AN_INTEGER);
            return true;
        }
        if (db == 0) {
            out.ok();
        } else {
            out.error("ERR DB index is out of range");
        }
        return true;
    }

    private static boolean command(RespStore store, RespReply out, byte[][] argv, int argc) {
        String sub = argc > 1 ? option(argv[1]) : "";
        switch (sub) {
            case "":
            case "docs":
                out.arrayHeader(0);
                break;
            case "count":
                out.integer(COMMANDS.size());
                break;
            default:
                out.error(unknownSubcommand(argv[1], "COMMAND"));
        }
        return true;
    }

    /** CONFIG GET with the two parameters redis-benchmark asks for, and {@code databases}; others are absent. */
    private static boolean config(RespStore store, RespReply out, byte[][] argv, int argc) {
        if (!option(argv[1]).equals("get")) {
            out.error(unknownSubcommand(argv[1], "CONFIG"));
            return true;
        }
        if (argc < 3) {
            out.error(wrongArity("config|get"));
            return true;
        }
        String[][] known = {{"save", ""}, {"appendonly", "no"}, {"databases", "1"}};
        List<String> found = new ArrayList<>();
        for (String[] kv : known) {
            for (int i = 2; i < argc; i++) {
                String p = option(argv[i]);
                if (p.equals(kv[0]) || p.equals("*")) {
                    found.add(kv[0]);
                    found.add(kv[1]);
                    break;
                }
            }
        }
        out.arrayHeader(found.size());
        for (String s : found) {
            out.bulk(s.getBytes(StandardCharsets.US_ASCII));
        }
        return true;
    }

    private static String unknownSubcommand(byte[] sub, String command) {
        return "ERR unknown subcommand '" + latin1(sub, 128) + "'. Try " + command + " HELP.";
    }

    /** An option word, lower-cased (options are short; this allocates only on the rarer paths). */
    private static String option(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a decimal integer as Redis does: an optional minus sign, no plus sign, no spaces, no leading zeros,
     * within the range of a long.
     *
     * @param b the bytes
     * @return the value
     * @throws NumberFormatException if it is not such a number
     */
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
        // Accumulate negatively so that Long.MIN_VALUE fits.
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
