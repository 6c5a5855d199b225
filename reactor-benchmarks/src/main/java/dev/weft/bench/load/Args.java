package dev.weft.bench.load;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} and {@code --flag}, checked against the names known. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    /**
     * Parses {@code args}.
     *
     * @param args       the arguments
     * @param withValue  the names of options that take a value
     * @param flags      the names of options that take none
     * @throws IllegalArgumentException on an unknown option or a missing value
     */
    Args(String[] args, Set<String> withValue, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) && inline == null) {
                values.put(name, "true");
            } else if (withValue.contains(name)) {
                if (inline != null) {
                    values.put(name, inline);
                } else if (i + 1 < args.length) {
                    values.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException(a + " needs a value");
                }
            } else {
                throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String string(String name, String def) {
        return values.getOrDefault(name, def);
    }

    long number(String name, long def, long min) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    int integer(String name, int def, int min) {
        long n = number(name, def, min);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " is too large: " + n);
        }
        return (int) n;
    }
}
