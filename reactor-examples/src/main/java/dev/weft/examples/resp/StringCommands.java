package dev.weft.examples.resp;

import dev.weft.examples.resp.ExpiryOptions.Flag;
import java.util.Arrays;

/**
 * The string commands: SET and its variants (SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX), GET, MGET, MSET,
 * MSETNX, APPEND, STRLEN, GETRANGE and SETRANGE, with Redis 7.0's replies and errors.
 *
 * <p>Stateless; called on the reactor thread.
 */
final class StringCommands {

    /** Redis's {@code proto-max-bulk-len}: no string may grow past it. */
    static final long MAX_STRING = RespParser.MAX_BULK;

    private static final byte[] EMPTY_BULK = RespReply.ascii("$0\r\n\r\n");
    private static final byte[] ZERO = RespReply.ascii(":0\r\n");
    private static final byte[] ONE = RespReply.ascii(":1\r\n");
    private static final byte[] OK = RespReply.ascii("+OK\r\n");
    private static final byte[] NULL = RespReply.ascii("$-1\r\n");

    private StringCommands() {
    }

    static boolean get(RespSession s, byte[][] argv, int argc) {
        s.out.bulk(s.store.get(argv[1]));
        return true;
    }

    static boolean set(RespSession s, byte[][] argv, int argc) {
        ExpiryOptions o = ExpiryOptions.parseOrReply(s.out, argv, 3, argc, ExpiryOptions.Mode.SET);
        if (o != null) {
            setGeneric(s, o, argv[1], argv[2], "set", OK, NULL);
        }
        return true;
    }

    static boolean setnx(RespSession s, byte[][] argv, int argc) {
        ExpiryOptions o = ExpiryOptions.of(Flag.NX, null);
        setGeneric(s, o, argv[1], argv[2], "setnx", ONE, ZERO);
        return true;
    }

    static boolean setex(RespSession s, byte[][] argv, int argc) {
        setGeneric(s, ExpiryOptions.of(Flag.EX, argv[2]), argv[1], argv[3], "setex", OK, NULL);
        return true;
    }

    static boolean psetex(RespSession s, byte[][] argv, int argc) {
        setGeneric(s, ExpiryOptions.of(Flag.PX, argv[2]), argv[1], argv[3], "psetex", OK, NULL);
        return true;
    }

    /** Redis's {@code setGenericCommand}: the expiry is checked first, then GET answers, then NX/XX decide. */
    private static void setGeneric(RespSession s, ExpiryOptions o, byte[] key, byte[] value, String command,
                                   byte[] okReply, byte[] abortReply) {
        long at = -1;
        if (o.expire != null) {
            at = o.expireAtOrReply(s.store, s.out, command);
            if (at == ExpiryOptions.FAILED) {
                return;
            }
        }
        boolean get = o.has(Flag.GET);
        if (get) {
            s.out.bulk(s.store.get(key));
        }
        boolean found = s.store.exists(key);
        if (o.has(Flag.NX) && found || o.has(Flag.XX) && !found) {
            if (!get) {
                s.out.raw(abortReply);
            }
            return;
        }
        s.store.set(key, value, -1, o.has(Flag.KEEPTTL));
        if (o.expire != null) {
            s.store.expireAtUnix(key, at);
        }
        if (!get) {
            s.out.raw(okReply);
        }
    }

    static boolean getset(RespSession s, byte[][] argv, int argc) {
        s.out.bulk(s.store.get(argv[1]));
        s.store.set(argv[1], argv[2]);
        return true;
    }

    static boolean getdel(RespSession s, byte[][] argv, int argc) {
        byte[] old = s.store.get(argv[1]);
        if (old != null) {
            s.store.delete(argv[1]);
        }
        s.out.bulk(old);
        return true;
    }

    static boolean getex(RespSession s, byte[][] argv, int argc) {
        ExpiryOptions o = ExpiryOptions.parseOrReply(s.out, argv, 2, argc, ExpiryOptions.Mode.GETEX);
        if (o == null) {
            return true;
        }
        byte[] value = s.store.get(argv[1]);
        if (value == null) {
            s.out.bulk(null);
            return true;
        }
        long at = -1;
        if (o.expire != null) {
            at = o.expireAtOrReply(s.store, s.out, "getex");
            if (at == ExpiryOptions.FAILED) {
                return true;
            }
        }
        s.out.bulk(value);
        if (o.isAbsolute() && at <= s.store.unixMillis()) {
            s.store.delete(argv[1]);
        } else if (o.expire != null) {
            s.store.expireAtUnix(argv[1], at);
        } else if (o.has(Flag.PERSIST)) {
            s.store.persist(argv[1]);
        }
        return true;
    }

    static boolean mget(RespSession s, byte[][] argv, int argc) {
        s.out.arrayHeader(argc - 1);
        for (int i = 1; i < argc; i++) {
            s.out.bulk(s.store.get(argv[i]));
            s.out.flushIfFull();
        }
        return true;
    }

    static boolean mset(RespSession s, byte[][] argv, int argc) {
        if (argc % 2 == 0) {
            s.out.error(RespCommands.wrongArity("mset"));
            return true;
        }
        for (int i = 1; i < argc; i += 2) {
            s.store.set(argv[i], argv[i + 1]);
        }
        s.out.ok();
        return true;
    }

    static boolean msetnx(RespSession s, byte[][] argv, int argc) {
        if (argc % 2 == 0) {
            s.out.error(RespCommands.wrongArity("msetnx"));
            return true;
        }
        for (int i = 1; i < argc; i += 2) {
            if (s.store.exists(argv[i])) {
                s.out.raw(ZERO);
                return true;
            }
        }
        for (int i = 1; i < argc; i += 2) {
            s.store.set(argv[i], argv[i + 1]);
        }
        s.out.raw(ONE);
        return true;
    }

    static boolean append(RespSession s, byte[][] argv, int argc) {
        byte[] old = s.store.get(argv[1]);
        if (old == null) {
            s.store.set(argv[1], argv[2]);
            s.out.integer(argv[2].length);
            return true;
        }
        if (tooLong(s.out, old.length, argv[2].length)) {
            return true;
        }
        byte[] value = Arrays.copyOf(old, old.length + argv[2].length);
        System.arraycopy(argv[2], 0, value, old.length, argv[2].length);
        s.store.replace(argv[1], value);
        s.out.integer(value.length);
        return true;
    }

    static boolean strlen(RespSession s, byte[][] argv, int argc) {
        byte[] v = s.store.get(argv[1]);
        s.out.integer(v == null ? 0 : v.length);
        return true;
    }

    /** Redis's GETRANGE: negative indexes count from the end, and the range is clamped to the string. */
    static boolean getrange(RespSession s, byte[][] argv, int argc) {
        Long start = RespCommands.longOrReply(s.out, argv[2]);
        if (start == null) {
            return true;
        }
        Long end = RespCommands.longOrReply(s.out, argv[3]);
        if (end == null) {
            return true;
        }
        byte[] v = s.store.get(argv[1]);
        if (v == null || start < 0 && end < 0 && start > end) {
            s.out.raw(EMPTY_BULK);
            return true;
        }
        long n = v.length;
        long from = start < 0 ? Math.max(0, n + start) : start;
        long to = end < 0 ? Math.max(0, n + end) : end;
        if (to >= n) {
            to = n - 1;
        }
        if (from > to || n == 0) {
            s.out.raw(EMPTY_BULK);
        } else {
            s.out.bulk(Arrays.copyOfRange(v, (int) from, (int) to + 1));
        }
        return true;
    }

    /** Redis's SETRANGE: writes at {@code offset}, padding with zero bytes; an empty value only reports the length. */
    static boolean setrange(RespSession s, byte[][] argv, int argc) {
        Long offset = RespCommands.longOrReply(s.out, argv[2]);
        if (offset == null) {
            return true;
        }
        if (offset < 0) {
            s.out.error("ERR offset is out of range");
            return true;
        }
        byte[] piece = argv[3];
        byte[] old = s.store.get(argv[1]);
        if (piece.length == 0) {
            s.out.integer(old == null ? 0 : old.length);
            return true;
        }
        if (tooLong(s.out, offset, piece.length)) {
            return true;
        }
        int o = (int) (long) offset;
        byte[] value = Arrays.copyOf(old == null ? new byte[0] : old, Math.max(old == null ? 0 : old.length,
                o + piece.length));
        System.arraycopy(piece, 0, value, o, piece.length);
        if (old == null) {
            s.store.set(argv[1], value);
        } else {
            s.store.replace(argv[1], value);
        }
        s.out.integer(value.length);
        return true;
    }

    /** Redis's {@code checkStringLength}: answers the error when {@code size + append} passes the limit. */
    private static boolean tooLong(RespReply out, long size, long append) {
        long total = size + append;
        if (total > MAX_STRING || total < size || total < append) {
            out.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            return true;
        }
        return false;
    }
}
