package dev.weft.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server-wide commands: DBSIZE, FLUSHALL, FLUSHDB, COMMAND and CONFIG GET.
 *
 * <p>Stateless; called on the reactor thread.
 */
final class ServerCommands {

    /**
     * The configuration parameters CONFIG GET knows, with their values: the two that redis-benchmark asks for, and
     * {@code databases} (this server has one).
     */
    private static final String[][] CONFIG = {{"save", ""}, {"appendonly", "no"}, {"databases", "1"}};

    private ServerCommands() {
    }

    static boolean dbsize(RespSession s, byte[][] argv, int argc) {
        s.out.integer(s.store.size());
        return true;
    }

    static boolean flush(RespSession s, byte[][] argv, int argc) {
        if (argc > 2 || argc == 2 && !RespCommands.option(argv[1]).equals("async")
                && !RespCommands.option(argv[1]).equals("sync")) {
            s.out.error(RespCommands.SYNTAX);
            return true;
        }
        s.store.clear();
        s.out.ok();
        return true;
    }

    static boolean command(RespSession s, byte[][] argv, int argc) {
        String sub = argc > 1 ? RespCommands.option(argv[1]) : "";
        switch (sub) {
            case "":
            case "docs":
                s.out.arrayHeader(0);
                break;
            case "count":
                s.out.integer(RespCommands.all().size());
                break;
            default:
                s.out.error(RespCommands.unknownSubcommand(argv[1], "COMMAND"));
        }
        return true;
    }

    /**
     * CONFIG GET as Redis 7.0: each argument is a parameter name (answered under the name as sent, ignoring case)
     * or, when it holds {@code *}, {@code ?} or {@code [}, a case-insensitive glob; a parameter is answered once.
     */
    static boolean config(RespSession s, byte[][] argv, int argc) {
        if (!RespCommands.option(argv[1]).equals("get")) {
            s.out.error(RespCommands.unknownSubcommand(argv[1], "CONFIG"));
            return true;
        }
        if (argc < 3) {
            s.out.error(RespCommands.wrongArity("config|get"));
            return true;
        }
        // The parameter (lower case) -> the name to answer with and the value, in the order found.
        Map<String, String[]> matches = new LinkedHashMap<>();
        for (int i = 2; i < argc; i++) {
            String name = RespCommands.cString(argv[i], Integer.MAX_VALUE);
            boolean glob = name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
            for (String[] kv : CONFIG) {
                if (matches.containsKey(kv[0])) {
                    continue;
                }
                if (!glob && name.toLowerCase(Locale.ROOT).equals(kv[0])) {
                    matches.put(kv[0], new String[] {name, kv[1]});
                } else if (glob && Glob.matches(argv[i], kv[0].getBytes(StandardCharsets.US_ASCII), true)) {
                    matches.put(kv[0], kv);
                }
            }
        }
        s.out.arrayHeader(2 * matches.size());
        for (String[] kv : matches.values()) {
            s.out.bulk(kv[0].getBytes(StandardCharsets.ISO_8859_1));
            s.out.bulk(kv[1].getBytes(StandardCharsets.ISO_8859_1));
        }
        return true;
    }
}
