package dev.weft.endpoints;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed endpoint description, exactly as Twisted's {@code endpoints._parse} reads one: {@code :} separates
 * arguments; an argument with {@code =} is a keyword argument (only its first {@code =} counts); a backslash makes
 * the next character literal. Then the call rules of Python bind them to an endpoint's parameters
 * ({@link #bind}), and Python's {@code int()} reads numbers ({@link #pyInt}). Stateless helpers; any thread.
 */
final class Description {

    /** The positional arguments, in order. */
    final List<String> args = new ArrayList<>();
    /** The keyword arguments; a repeated keyword keeps its last value, as a Python dict does. */
    final Map<String, String> kwargs = new LinkedHashMap<>();
    /** The whole description, for messages. */
    final String text;

    private Description(String text) {
        this.text = text;
    }

    /**
     * Parses {@code description}.
     *
     * @param description the description
     * @return its arguments
     * @throws IllegalArgumentException if it ends with a lone backslash
     */
    static Description parse(String description) {
        Objects.requireNonNull(description, "description must not be null");
        Description d = new Description(description);
        List<String> sofar = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String ops = ":=";
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (ops.indexOf(c) >= 0) {
                sofar.add(current.toString());
                current.setLength(0);
                if (c == ':') {
                    d.add(sofar);
                    sofar = new ArrayList<>();
                    ops = ":=";
                } else {
                    ops = ":";
                }
            } else if (c == '\\') {
                if (i + 1 >= description.length()) {
                    throw new IllegalArgumentException("bad endpoint description \"" + description
                            + "\": it ends with a backslash that escapes nothing");
                }
                current.append(description.charAt(++i));
            } else {
                current.append(c);
            }
        }
        sofar.add(current.toString());
        d.add(sofar);
        return d;
    }

    private void add(List<String> sofar) {
        if (sofar.size() == 1) {
            args.add(sofar.get(0));
        } else {
            kwargs.put(sofar.get(0), sofar.get(1));
        }
    }

    /**
     * Binds arguments to the parameters of a Python function, with Python's rules: positional ones in order, then
     * keywords; an error for too many positional arguments, a keyword that is not a parameter or that repeats a
     * positional one, and a parameter without default left unset.
     *
     * @param what       the endpoint type, for messages
     * @param params     the parameters' names, in order
     * @param required   how many of the first parameters have no default
     * @param positional the positional arguments
     * @param keywords   the keyword arguments
     * @return the bound values by name (a parameter left to its default is absent)
     * @throws IllegalArgumentException naming the argument that does not bind
     */
    Map<String, String> bind(String what, List<String> params, int required, List<String> positional,
            Map<String, String> keywords) {
        if (positional.size() > params.size()) {
            throw bad(what, "too many positional arguments (" + positional.size() + "; it takes at most "
                    + params.size() + ": " + String.join(", ", params) + "): \"" + positional.get(params.size())
                    + "\"");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < positional.size(); i++) {
            out.put(params.get(i), positional.get(i));
        }
        for (Map.Entry<String, String> e : keywords.entrySet()) {
            if (!params.contains(e.getKey())) {
                throw bad(what, "unknown keyword argument \"" + e.getKey() + "\" (it takes " + String.join(", ",
                        params) + ")");
            }
            if (out.containsKey(e.getKey())) {
                throw bad(what, "the argument \"" + e.getKey() + "\" is given twice, by position and by keyword");
            }
            out.put(e.getKey(), e.getValue());
        }
        for (int i = 0; i < required; i++) {
            if (!out.containsKey(params.get(i))) {
                throw bad(what, "the argument \"" + params.get(i) + "\" is missing");
            }
        }
        return out;
    }

    /**
     * An error about this description.
     *
     * @param what the endpoint type
     * @param why  what is wrong, naming the part
     * @return the exception
     */
    IllegalArgumentException bad(String what, String why) {
        return new IllegalArgumentException("bad " + what + " endpoint description \"" + text + "\": " + why);
    }

    /**
     * Reads an integer as Python's {@code int(text, base)}: surrounding white space, a sign, single underscores
     * between digits, and for base 8 an optional {@code 0o} prefix.
     *
     * @param what  the endpoint type, for messages
     * @param name  the argument's name, for messages
     * @param value the text
     * @param base  10 or 8
     * @return the value
     * @throws IllegalArgumentException naming the argument if it is not an integer or does not fit an int
     */
    long pyInt(String what, String name, String value, int base) {
        String s = value.strip();
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (base == 8 && s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'o' || s.charAt(1) == 'O')) {
            s = s.substring(2);
            if (s.startsWith("_")) {
                s = s.substring(1); // Python allows 0o_17
            }
        }
        if (s.isEmpty() || s.startsWith("_") || s.endsWith("_") || s.contains("__")) {
            throw notInt(what, name, value, base);
        }
        String digits = s.replace("_", "");
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > (base == 8 ? '7' : '9')) {
                throw notInt(what, name, value, base);
            }
        }
        BigInteger v = new BigInteger(digits, base);
        if (negative) {
            v = v.negate();
        }
        if (v.bitLength() > 62) {
            throw bad(what, "the argument \"" + name + "\" is out of range: " + value);
        }
        return v.longValue();
    }

    private IllegalArgumentException notInt(String what, String name, String value, int base) {
        return bad(what, "the argument \"" + name + "\" must be an integer" + (base == 8 ? " in octal" : "")
                + ", got \"" + value + "\"");
    }

    /**
     * Python's {@code bool(int(text))}.
     *
     * @param what  the endpoint type
     * @param name  the argument's name
     * @param value the text
     * @return whether it is not zero
     */
    boolean pyBool(String what, String name, String value) {
        return pyInt(what, name, value, 10) != 0;
    }
}
