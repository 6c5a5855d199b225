package dev.weft.examples.resp;

import java.util.EnumSet;

/**
 * The options of SET and GETEX as Redis reads them ({@code parseExtendedStringArgumentsOrReply}): NX, XX, GET and
 * KEEPTTL (SET only), PERSIST (GETEX only), and one expiry, EX, PX, EXAT or PXAT, which may be repeated (the last
 * one counts) but not mixed with another kind.
 *
 * <p>Not thread-safe; one per command, on the reactor thread.
 */
final class ExpiryOptions {

    /** The options a command was given. */
    enum Flag { NX, XX, GET, KEEPTTL, PERSIST, EX, PX, EXAT, PXAT }

    /** Which command's options are read. */
    enum Mode { SET, GETEX }

    /** Returned by {@link #expireAtOrReply} after it answered an error. */
    static final long FAILED = Long.MIN_VALUE;

    final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
    /** The expiry argument of the last EX, PX, EXAT or PXAT, or null. */
    byte[] expire;

    private ExpiryOptions() {
    }

    /**
     * Options with just an expiry (SETEX, PSETEX).
     *
     * @param kind   EX or PX
     * @param expire its argument
     * @return the options
     */
    static ExpiryOptions of(Flag kind, byte[] expire) {
        ExpiryOptions o = new ExpiryOptions();
        o.flags.add(kind);
        o.expire = expire;
        return o;
    }

    /**
     * Reads {@code argv[from, argc)}; answers {@code ERR syntax error} when an option is unknown, misplaced or
     * conflicts with an earlier one.
     *
     * @param out  where the error goes
     * @param argv the arguments
     * @param from the first option
     * @param argc how many arguments
     * @param mode which command
     * @return the options, or null after the error
     */
    static ExpiryOptions parseOrReply(RespReply out, byte[][] argv, int from, int argc, Mode mode) {
        ExpiryOptions o = new ExpiryOptions();
        boolean set = mode == Mode.SET;
        for (int j = from; j < argc; j++) {
            String opt = RespCommands.option(argv[j]);
            boolean hasNext = j + 1 < argc;
            Flag f = null;
            switch (opt) {
                case "nx":
                    f = set && !o.has(Flag.XX) ? Flag.NX : null;
                    break;
                case "xx":
                    f = set && !o.has(Flag.NX) ? Flag.XX : null;
                    break;
                case "get":
                    f = set ? Flag.GET : null;
                    break;
                case "keepttl":
                    f = set && o.noneOf(Flag.PERSIST, Flag.EX, Flag.EXAT, Flag.PX, Flag.PXAT) ? Flag.KEEPTTL : null;
                    break;
                case "persist":
                    f = !set && o.noneOf(Flag.EX, Flag.EXAT, Flag.PX, Flag.PXAT, Flag.KEEPTTL) ? Flag.PERSIST : null;
                    break;
                case "ex":
                    f = hasNext && o.noneOf(Flag.KEEPTTL, Flag.PERSIST, Flag.EXAT, Flag.PX, Flag.PXAT) ? Flag.EX : null;
                    break;
                case "px":
                    f = hasNext && o.noneOf(Flag.KEEPTTL, Flag.PERSIST, Flag.EX, Flag.EXAT, Flag.PXAT) ? Flag.PX : null;
                    break;
                case "exat":
                    f = hasNext && o.noneOf(Flag.KEEPTTL, Flag.PERSIST, Flag.EX, Flag.PX, Flag.PXAT) ? Flag.EXAT : null;
                    break;
                case "pxat":
                    f = hasNext && o.noneOf(Flag.KEEPTTL, Flag.PERSIST, Flag.EX, Flag.EXAT, Flag.PX) ? Flag.PXAT : null;
                    break;
                default:
                    break;
            }
            if (f == null) {
                out.error(RespCommands.SYNTAX);
                return null;
            }
            o.flags.add(f);
            if (f == Flag.EX || f == Flag.PX || f == Flag.EXAT || f == Flag.PXAT) {
                o.expire = argv[++j];
            }
        }
        return o;
    }

    boolean has(Flag f) {
        return flags.contains(f);
    }

    boolean isAbsolute() {
        return has(Flag.EXAT) || has(Flag.PXAT);
    }

    private boolean noneOf(Flag... fs) {
        for (Flag f : fs) {
            if (flags.contains(f)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The expiry as Unix milliseconds, or an error answered as Redis does ({@code getExpireMillisecondsOrReply}):
     * not an integer, not positive, or overflowing once converted.
     *
     * @param store   the store, for the current time
     * @param out     where the error goes
     * @param command the command's name, for the error text
     * @return the Unix time in milliseconds, or {@link #FAILED} after the error
     */
    long expireAtOrReply(RespStore store, RespReply out, String command) {
        Long v = RespCommands.longOrReply(out, expire);
        if (v == null) {
            return FAILED;
        }
        long ms = v;
        boolean seconds = has(Flag.EX) || has(Flag.EXAT);
        if (ms <= 0 || seconds && ms > Long.MAX_VALUE / 1000) {
            out.error(invalidExpireTime(command));
            return FAILED;
        }
        if (seconds) {
            ms *= 1000;
        }
        if (!isAbsolute()) {
            ms += store.unixMillis(); // wraps on overflow, as in C; caught just below
        }
        if (ms <= 0) {
            out.error(invalidExpireTime(command));
            return FAILED;
        }
        return ms;
    }

    static String invalidExpireTime(String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }
}
