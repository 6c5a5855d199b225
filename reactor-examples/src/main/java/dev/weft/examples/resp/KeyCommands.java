package dev.weft.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The keyspace commands: DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, KEYS, SCAN, the EXPIRE family, PERSIST, TTL
 * and PTTL, with Redis 7.0's replies and errors.
 *
 * <p>SCAN's cursor orders keys by an unsigned 32-bit hash of their bytes: a call returns the keys whose hash is at
 * least the cursor, lowest first, COUNT of them (all the keys that share the last hash included), and the next
 * cursor is the hash after the last one returned, or 0 at the end. So every key present for a whole scan is
 * returned at least once, as in Redis. Each call reads the whole keyspace once, which is fine for an example.
 *
 * <p>Stateless; called on the reactor thread.
 */
final class KeyCommands {

    private static final byte[] STRING = RespReply.ascii("+string\r\n");
    private static final byte[] NONE = RespReply.ascii("+none\r\n");
    private static final byte[] ZERO = RespReply.ascii(":0\r\n");
    private static final byte[] ONE = RespReply.ascii(":1\r\n");
    private static final long SCAN_END = 1L << 32;

    private KeyCommands() {
    }

    static boolean del(RespSession s, byte[][] argv, int argc) {
        long n = 0;
        for (int i = 1; i < argc; i++) {
            if (s.store.delete(argv[i])) {
                n++;
            }
        }
        s.out.integer(n);
        return true;
    }

    static boolean exists(RespSession s, byte[][] argv, int argc) {
        long n = 0;
        for (int i = 1; i < argc; i++) {
            if (s.store.exists(argv[i])) {
                n++;
            }
        }
        s.out.integer(n);
        return true;
    }

    static boolean type(RespSession s, byte[][] argv, int argc) {
        s.out.raw(s.store.exists(argv[1]) ? STRING : NONE);
        return true;
    }

    static boolean rename(RespSession s, byte[][] argv, int argc) {
        if (renameGeneric(s, argv, RenameMode.REPLACE)) {
            s.out.ok();
        }
        return true;
    }

    static boolean renamenx(RespSession s, byte[][] argv, int argc) {
        if (renameGeneric(s, argv, RenameMode.NX)) {
            s.out.raw(ONE);
        }
        return true;
    }

    private enum RenameMode { REPLACE, NX }

    /** Redis's {@code renameGenericCommand}; returns true when the caller must answer success. */
    private static boolean renameGeneric(RespSession s, byte[][] argv, RenameMode mode) {
        if (!s.store.exists(argv[1])) {
            s.out.error("ERR no such key");
            return false;
        }
        boolean nx = mode == RenameMode.NX;
        if (Arrays.equals(argv[1], argv[2])) {
            if (nx) {
                s.out.raw(ZERO);
                return false;
            }
            return true;
        }
        if (nx && s.store.exists(argv[2])) {
            s.out.raw(ZERO);
            return false;
        }
        s.store.rename(argv[1], argv[2]);
        return true;
    }

    static boolean keys(RespSession s, byte[][] argv, int argc) {
        byte[] pattern = argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> found = new ArrayList<>();
        for (byte[] k : s.store.liveKeys()) {
            if (all || Glob.matches(pattern, k, false)) {
                found.add(k);
            }
        }
        s.out.arrayHeader(found.size());
        for (byte[] k : found) {
            s.out.bulk(k);
            s.out.flushIfFull();
        }
        return true;
    }

    static boolean scan(RespSession s, byte[][] argv, int argc) {
        long cursor;
        try {
            cursor = RespNumbers.parseCursor(argv[1]);
        } catch (NumberFormatException e) {
            s.out.error("ERR invalid cursor");
            return true;
        }
        long count = 10;
        byte[] pattern = null;
        byte[] type = null;
        for (int i = 2; i < argc; i += 2) {
            String opt = RespCommands.option(argv[i]);
            if (i + 1 >= argc || !opt.equals("count") && !opt.equals("match") && !opt.equals("type")) {
                s.out.error(RespCommands.SYNTAX);
                return true;
            }
            if (opt.equals("count")) {
                Long c = RespCommands.longOrReply(s.out, argv[i + 1]);
                if (c == null) {
                    return true;
                }
                if (c < 1) {
                    s.out.error(RespCommands.SYNTAX);
                    return true;
                }
                count = c;
            } else if (opt.equals("match")) {
                pattern = argv[i + 1].length == 1 && argv[i + 1][0] == '*' ? null : argv[i + 1];
            } else {
                type = argv[i + 1];
            }
        }
        List<byte[]> batch = new ArrayList<>();
        long next = scanBatch(s.store, cursor, count, batch);
        boolean typeMatches = type == null || RespCommands.option(type).equals("string");
        List<byte[]> found = new ArrayList<>();
        for (byte[] k : batch) {
            if (typeMatches && (pattern == null || Glob.matches(pattern, k, false))) {
                found.add(k);
            }
        }
        s.out.arrayHeader(2);
        s.out.bulk(Long.toUnsignedString(next).getBytes(StandardCharsets.US_ASCII));
        s.out.arrayHeader(found.size());
        for (byte[] k : found) {
            s.out.bulk(k);
            s.out.flushIfFull();
        }
        return true;
    }

    /** Fills {@code batch} with the keys of the step from {@code cursor}; returns the next cursor. */
    private static long scanBatch(RespStore store, long cursor, long count, List<byte[]> batch) {
        if (Long.compareUnsigned(cursor, SCAN_END) >= 0) {
            return 0;
        }
        List<byte[]> candidates = new ArrayList<>();
        for (byte[] k : store.liveKeys()) {
            if (RespStore.scanHash(k) >= cursor) {
                candidates.add(k);
            }
        }
        candidates.sort(Comparator.comparingLong(RespStore::scanHash));
        if (candidates.size() <= count) {
            batch.addAll(candidates);
            return 0;
        }
        long last = RespStore.scanHash(candidates.get((int) count - 1));
        int i = 0;
        while (i < candidates.size() && RespStore.scanHash(candidates.get(i)) <= last) {
            batch.add(candidates.get(i++));
        }
        return i == candidates.size() || last + 1 >= SCAN_END ? 0 : last + 1;
    }

    static boolean expire(RespSession s, byte[][] argv, int argc) {
        return expireGeneric(s, argv, argc, s.store.unixMillis(), 1000, "expire");
    }

    static boolean pexpire(RespSession s, byte[][] argv, int argc) {
        return expireGeneric(s, argv, argc, s.store.unixMillis(), 1, "pexpire");
    }

    static boolean expireat(RespSession s, byte[][] argv, int argc) {
        return expireGeneric(s, argv, argc, 0, 1000, "expireat");
    }

    static boolean pexpireat(RespSession s, byte[][] argv, int argc) {
        return expireGeneric(s, argv, argc, 0, 1, "pexpireat");
    }

    /** The NX, XX, GT and LT options of the EXPIRE family. */
    private enum ExpireFlag { NX, XX, GT, LT }

    /** Redis's {@code expireGenericCommand}: a time in the past deletes the key. */
    private static boolean expireGeneric(RespSession s, byte[][] argv, int argc, long base, long unit, String name) {
        EnumSet<ExpireFlag> flags = EnumSet.noneOf(ExpireFlag.class);
        for (int j = 3; j < argc; j++) {
            try {
                flags.add(ExpireFlag.valueOf(RespCommands.option(argv[j]).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                s.out.error("ERR Unsupported option " + RespCommands.cString(argv[j], Integer.MAX_VALUE));
                return true;
            }
        }
        if (flags.contains(ExpireFlag.NX) && flags.size() > 1) {
            s.out.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return true;
        }
        if (flags.contains(ExpireFlag.GT) && flags.contains(ExpireFlag.LT)) {
            s.out.error("ERR GT and LT options at the same time are not compatible");
            return true;
        }
        Long v = RespCommands.longOrReply(s.out, argv[2]);
        if (v == null) {
            return true;
        }
        long when = v;
        if (unit == 1000 && (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000)
                || when * unit > Long.MAX_VALUE - base) {
            s.out.error(ExpiryOptions.invalidExpireTime(name));
            return true;
        }
        when = when * unit + base;
        if (!s.store.exists(argv[1])) {
            s.out.raw(ZERO);
            return true;
        }
        long current = s.store.expireAtUnixMillis(argv[1]);
        boolean refused = flags.contains(ExpireFlag.NX) && current != -1
                || flags.contains(ExpireFlag.XX) && current == -1
                || flags.contains(ExpireFlag.GT) && (current == -1 || when <= current)
                || flags.contains(ExpireFlag.LT) && current != -1 && when >= current;
        if (refused) {
            s.out.raw(ZERO);
            return true;
        }
        if (when <= s.store.unixMillis()) {
            s.store.delete(argv[1]);
        } else {
            s.store.expireAtUnix(argv[1], when);
        }
        s.out.raw(ONE);
        return true;
    }

    static boolean persist(RespSession s, byte[][] argv, int argc) {
        s.out.raw(s.store.persist(argv[1]) ? ONE : ZERO);
        return true;
    }

    static boolean ttl(RespSession s, byte[][] argv, int argc) {
        long ms = s.store.ttlMillis(argv[1]);
        s.out.integer(ms < 0 ? ms : (ms + 500) / 1000);
        return true;
    }

    static boolean pttl(RespSession s, byte[][] argv, int argc) {
        s.out.integer(s.store.ttlMillis(argv[1]));
        return true;
    }
}
