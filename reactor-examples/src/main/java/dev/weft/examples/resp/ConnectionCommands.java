package dev.weft.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The commands about the connection itself: PING, ECHO, SELECT, HELLO, QUIT, and the transaction commands MULTI,
 * EXEC and DISCARD.
 *
 * <p>HELLO: the server speaks RESP2 only. {@code HELLO} and {@code HELLO 2} answer as Redis 7 does in RESP2 (a flat
 * array of server, version, proto, id, mode, role and modules); {@code HELLO 3} answers
 * {@code -NOPROTO unsupported protocol version}, Redis's own answer to a version it does not speak, on which
 * RESP3-first clients (Lettuce, go-redis) go on in RESP2.
 *
 * <p>Stateless; called on the reactor thread.
 */
final class ConnectionCommands {

    /** The Redis version whose commands the server follows, reported by HELLO. */
    static final String REDIS_VERSION = "7.0.0";

    private static final byte[] PONG = RespReply.ascii("+PONG\r\n");

    private ConnectionCommands() {
    }

    static boolean ping(RespSession s, byte[][] argv, int argc) {
        if (argc > 2) {
            s.out.error(RespCommands.wrongArity("ping"));
        } else if (argc == 2) {
            s.out.bulk(argv[1]);
        } else {
            s.out.raw(PONG);
        }
        return true;
    }

    static boolean echo(RespSession s, byte[][] argv, int argc) {
        s.out.bulk(argv[1]);
        return true;
    }

    static boolean select(RespSession s, byte[][] argv, int argc) {
        Long db = RespCommands.longOrReply(s.out, argv[1]);
        if (db == null) {
            return true;
        }
        if (db == 0) {
            s.out.ok();
        } else {
            s.out.error("ERR DB index is out of range");
        }
        return true;
    }

    static boolean quit(RespSession s, byte[][] argv, int argc) {
        s.out.ok();
        return false;
    }

    static boolean hello(RespSession s, byte[][] argv, int argc) {
        int next = 1;
        if (argc >= 2) {
            long version;
            try {
                version = RespNumbers.parseLong(argv[next++]);
            } catch (NumberFormatException e) {
                s.out.error("ERR Protocol version is not an integer or out of range");
                return true;
            }
            if (version != 2) {
                s.out.error("NOPROTO unsupported protocol version");
                return true;
            }
        }
        byte[] user = null;
        for (int j = next; j < argc; j++) {
            int more = argc - 1 - j;
            String opt = RespCommands.option(argv[j]);
            if (opt.equals("auth") && more >= 2) {
                user = argv[j + 1];
                j += 2;
            } else if (opt.equals("setname") && more >= 1) {
                if (!validClientName(argv[j + 1])) {
                    s.out.error("ERR Client names cannot contain spaces, newlines or special characters.");
                    return true;
                }
                j++;
            } else {
                s.out.error("ERR Syntax error in HELLO option '" + RespCommands.cString(argv[j], Integer.MAX_VALUE)
                        + "'");
                return true;
            }
        }
        // No password is set: the default user logs in with any password, as in Redis; there is no other user.
        if (user != null && !new String(user, StandardCharsets.ISO_8859_1).equals("default")) {
            s.out.error("WRONGPASS invalid username-password pair or user is disabled.");
            return true;
        }
        s.out.arrayHeader(14);
        bulk(s.out, "server");
        bulk(s.out, "redis");
        bulk(s.out, "version");
        bulk(s.out, REDIS_VERSION);
        bulk(s.out, "proto");
        s.out.integer(2);
        bulk(s.out, "id");
        s.out.integer(s.id);
        bulk(s.out, "mode");
        bulk(s.out, "standalone");
        bulk(s.out, "role");
        bulk(s.out, "master");
        bulk(s.out, "modules");
        s.out.arrayHeader(0);
        return true;
    }

    /** Redis's rule: every byte printable ASCII, from {@code !} to {@code ~}. */
    private static boolean validClientName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    private static void bulk(RespReply out, String s) {
        out.bulk(s.getBytes(StandardCharsets.US_ASCII));
    }

    static boolean multi(RespSession s, byte[][] argv, int argc) {
        if (s.transaction.state() != RespTransaction.State.NONE) {
            s.out.error("ERR MULTI calls can not be nested");
            return true;
        }
        s.transaction.begin();
        s.out.ok();
        return true;
    }

    static boolean discard(RespSession s, byte[][] argv, int argc) {
        if (s.transaction.state() == RespTransaction.State.NONE) {
            s.out.error("ERR DISCARD without MULTI");
            return true;
        }
        s.transaction.end();
        s.out.ok();
        return true;
    }

    /** Runs the queued commands in order, their replies in one array; a failing command does not stop the rest. */
    static boolean exec(RespSession s, byte[][] argv, int argc) {
        RespTransaction.State state = s.transaction.state();
        if (state == RespTransaction.State.NONE) {
            s.out.error("ERR EXEC without MULTI");
            return true;
        }
        List<RespTransaction.Queued> queued = s.transaction.end();
        if (state == RespTransaction.State.ABORTED) {
            s.out.error("EXECABORT Transaction discarded because of previous errors.");
            return true;
        }
        s.out.arrayHeader(queued.size());
        for (RespTransaction.Queued q : queued) {
            try {
                q.command.impl.run(s, q.argv, q.argv.length);
            } catch (RuntimeException e) {
                // A bug of one command: its element of the array says so, and the others still run.
                s.out.error("ERR internal error: " + e);
            }
            s.out.flushIfFull();
        }
        return true;
    }
}
