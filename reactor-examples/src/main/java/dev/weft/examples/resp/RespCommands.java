package dev.weft.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The command table of the RESP server: each command's name, arity and implementation, the lookup by name (ASCII
 * case-insensitive, without allocating), and the dispatch that checks arity and queues commands inside MULTI.
 *
 * <p>Arity follows Redis: a positive arity is the exact number of arguments, command name included; a negative
 * one, {@code -n}, means at least {@code n}. Errors read as Redis 7.0's do. The implementations are grouped by
 * concern: {@link StringCommands}, {@link CounterCommands}, {@link KeyCommands}, {@link ServerCommands} and
 * {@link ConnectionCommands}.
 */
final class RespCommands {

    /** What a command does: replies to the session's buffer, and returns false to close the connection after it. */
    @FunctionalInterface
    interface Impl {
        boolean run(RespSession session, byte[][] argv, int argc);
    }

    /** How a command behaves while MULTI is open. */
    enum InMulti {
        /** Queued for EXEC, answered {@code +QUEUED}. */
        QUEUED,
        /** Runs at once (MULTI, EXEC, DISCARD, QUIT). */
        RUNS
    }

    /** One entry of the table. */
    static final class Command {
        final String name;
        final int arity;
        final String summary;
        final InMulti inMulti;
        final Impl impl;
        private final byte[] lower;

        Command(String name, int arity, String summary, InMulti inMulti, Impl impl) {
            this.name = name;
            this.arity = arity;
            this.summary = summary;
            this.inMulti = inMulti;
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

    private static final byte[] QUEUED = RespReply.ascii("+QUEUED\r\n");

    private static final List<Command> COMMANDS = List.of(
            cmd("ping", -1, "PING [message]", ConnectionCommands::ping),
            cmd("echo", 2, "ECHO message", ConnectionCommands::echo),
            cmd("set", -3, "SET key value [NX|XX] [GET] [EX s|PX ms|EXAT unix-s|PXAT unix-ms|KEEPTTL]",
                    StringCommands::set),
            cmd("get", 2, "GET key", StringCommands::get),
            cmd("getset", 3, "GETSET key value", StringCommands::getset),
            cmd("getdel", 2, "GETDEL key", StringCommands::getdel),
            cmd("getex", -2, "GETEX key [EX s|PX ms|EXAT unix-s|PXAT unix-ms|PERSIST]", StringCommands::getex),
            cmd("setnx", 3, "SETNX key value", StringCommands::setnx),
            cmd("setex", 4, "SETEX key seconds value", StringCommands::setex),
            cmd("psetex", 4, "PSETEX key milliseconds value", StringCommands::psetex),
            cmd("mget", -2, "MGET key [key ...]", StringCommands::mget),
            cmd("mset", -3, "MSET key value [key value ...]", StringCommands::mset),
            cmd("msetnx", -3, "MSETNX key value [key value ...]", StringCommands::msetnx),
            cmd("append", 3, "APPEND key value", StringCommands::append),
            cmd("strlen", 2, "STRLEN key", StringCommands::strlen),
            cmd("getrange", 4, "GETRANGE key start end", StringCommands::getrange),
            cmd("setrange", 4, "SETRANGE key offset value", StringCommands::setrange),
            cmd("incr", 2, "INCR key", CounterCommands::incr),
            cmd("decr", 2, "DECR key", CounterCommands::decr),
            cmd("incrby", 3, "INCRBY key increment", CounterCommands::incrby),
            cmd("decrby", 3, "DECRBY key decrement", CounterCommands::decrby),
            cmd("incrbyfloat", 3, "INCRBYFLOAT key increment", CounterCommands::incrbyfloat),
            cmd("del", -2, "DEL key [key ...]", KeyCommands::del),
            cmd("unlink", -2, "UNLINK key [key ...]", KeyCommands::del),
            cmd("exists", -2, "EXISTS key [key ...]", KeyCommands::exists),
            cmd("type", 2, "TYPE key", KeyCommands::type),
            cmd("rename", 3, "RENAME key newkey", KeyCommands::rename),
            cmd("renamenx", 3, "RENAMENX key newkey", KeyCommands::renamenx),
            cmd("keys", 2, "KEYS pattern", KeyCommands::keys),
            cmd("scan", -2, "SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]", KeyCommands::scan),
            cmd("expire", -3, "EXPIRE key seconds [NX|XX|GT|LT]", KeyCommands::expire),
            cmd("pexpire", -3, "PEXPIRE key milliseconds [NX|XX|GT|LT]", KeyCommands::pexpire),
            cmd("expireat", -3, "EXPIREAT key unix-seconds [NX|XX|GT|LT]", KeyCommands::expireat),
            cmd("pexpireat", -3, "PEXPIREAT key unix-milliseconds [NX|XX|GT|LT]", KeyCommands::pexpireat),
            cmd("persist", 2, "PERSIST key", KeyCommands::persist),
            cmd("ttl", 2, "TTL key", KeyCommands::ttl),
            cmd("pttl", 2, "PTTL key", KeyCommands::pttl),
            cmd("dbsize", 1, "DBSIZE", ServerCommands::dbsize),
            cmd("flushall", -1, "FLUSHALL [ASYNC|SYNC]", ServerCommands::flush),
            cmd("flushdb", -1, "FLUSHDB [ASYNC|SYNC]", ServerCommands::flush),
            cmd("select", 2, "SELECT 0 (the only database)", ConnectionCommands::select),
            cmd("command", -1, "COMMAND [DOCS|COUNT] (an empty array)", ServerCommands::command),
            cmd("config", -2, "CONFIG GET pattern [pattern ...]", ServerCommands::config),
            cmd("hello", -1, "HELLO [2 [AUTH user password] [SETNAME name]] (RESP2 only)", ConnectionCommands::hello),
            new Command("multi", 1, "MULTI", InMulti.RUNS, ConnectionCommands::multi),
            new Command("exec", 1, "EXEC", InMulti.RUNS, ConnectionCommands::exec),
            new Command("discard", 1, "DISCARD", InMulti.RUNS, ConnectionCommands::discard),
            new Command("quit", -1, "QUIT", InMulti.RUNS, ConnectionCommands::quit));

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

    private static Command cmd(String name, int arity, String summary, Impl impl) {
        return new Command(name, arity, summary, InMulti.QUEUED, impl);
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
     * Runs one command, or queues it when MULTI is open: checks its name and arity (a failure inside MULTI dooms
     * the transaction), then runs it, replying to the session's buffer.
     *
     * @param session the connection's session
     * @param argv    the arguments, the name first
     * @param argc    how many arguments, at least 1
     * @return false when the connection must close after the reply (QUIT)
     */
    static boolean execute(RespSession session, byte[][] argv, int argc) {
        Command c = lookup(argv[0]);
        if (c == null) {
            session.transaction.flagError();
            session.out.error(unknownCommand(argv, argc));
            return true;
        }
        if (c.arity > 0 ? argc != c.arity : argc < -c.arity) {
            if (c.name.equals("exec")) {
                // Redis rejects a malformed EXEC by discarding the transaction, open or not.
                session.transaction.end();
                session.out.error("EXECABORT Transaction discarded because of: "
                        + wrongArity(c.name).substring("ERR ".length()));
                return true;
            }
            session.transaction.flagError();
            session.out.error(wrongArity(c.name));
            return true;
        }
        if (c.inMulti == InMulti.QUEUED && session.transaction.state() != RespTransaction.State.NONE) {
            session.transaction.queue(c, Arrays.copyOf(argv, argc));
            session.out.raw(QUEUED);
            return true;
        }
        return c.impl.run(session, argv, argc);
    }

    static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    /** Redis's text: the name as sent, then the first arguments, quoted, up to about 128 characters. */
    static String unknownCommand(byte[][] argv, int argc) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argc && args.length() < 128; i++) {
            int room = 128 - args.length(); // measured before the opening quote, as Redis's sdscatprintf does
            args.append('\'').append(cString(argv[i], room)).append("' ");
        }
        return "ERR unknown command '" + cString(argv[0], 128) + "', with args beginning with: " + args;
    }

    static String unknownSubcommand(byte[] sub, String command) {
        return "ERR unknown subcommand '" + cString(sub, 128) + "'. Try " + command + " HELP.";
    }

    /** The bytes as C's {@code %.*s} prints them: at most {@code max}, up to the first NUL. */
    static String cString(byte[] b, int max) {
        int n = 0;
        while (n < b.length && n < max && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** An option word, lower-cased (options are short; this allocates only on the rarer paths). */
    static String option(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an integer argument as Redis does, or answers {@link #NOT_AN_INTEGER}.
     *
     * @param out where the error goes
     * @param b   the argument
     * @return the value, or null after answering the error
     */
    static Long longOrReply(RespReply out, byte[] b) {
        try {
            return RespNumbers.parseLong(b);
        } catch (NumberFormatException e) {
            out.error(NOT_AN_INTEGER);
            return null;
        }
    }
}
