package dev.weft.examples.resp;

/**
 * Redis's glob-style matching ({@code stringmatchlen}), for KEYS, SCAN MATCH and CONFIG GET: {@code *} any run,
 * {@code ?} one byte, {@code [abc]}, {@code [^abc]} and {@code [a-z]} sets, {@code \} to take the next byte as it
 * is. Bytes compare as C's signed {@code char}s, as in Redis.
 *
 * <p>Stateless; any thread.
 */
final class Glob {

    private final byte[] pattern;
    private final byte[] string;
    private final boolean nocase;
    /** Set when a {@code *} found no match anywhere: a longer match of an earlier {@code *} cannot help. */
    private boolean giveUp;

    private Glob(byte[] pattern, byte[] string, boolean nocase) {
        this.pattern = pattern;
        this.string = string;
        this.nocase = nocase;
    }

    /**
     * Whether {@code string} matches {@code pattern}.
     *
     * @param pattern the glob pattern
     * @param string  the string
     * @param nocase  whether to ignore ASCII case
     * @return whether it matches
     */
    static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return new Glob(pattern, string, nocase).match(0, 0);
    }

    /** The pattern byte at {@code i}, or 0 past its end (Redis's strings are NUL-terminated). */
    private int p(int i) {
        return i < pattern.length ? pattern[i] : 0;
    }

    private int s(int i) {
        return i < string.length ? string[i] : 0;
    }

    private int fold(int c) {
        return nocase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private boolean match(int pi, int si) {
        while (pi < pattern.length && si < string.length) {
            switch (pattern[pi]) {
                case '*':
                    while (pi + 1 < pattern.length && pattern[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == pattern.length) {
                        return true;
                    }
                    for (; si < string.length; si++) {
                        if (match(pi + 1, si)) {
                            return true;
                        }
                        if (giveUp) {
                            return false;
                        }
                    }
                    giveUp = true;
                    return false;
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    boolean not = p(pi) == '^';
                    if (not) {
                        pi++;
                    }
                    boolean match = false;
                    while (true) {
                        int left = pattern.length - pi;
                        if (p(pi) == '\\' && left >= 2) {
                            pi++;
                            if (p(pi) == s(si)) {
                                match = true;
                            }
                        } else if (p(pi) == ']') {
                            break;
                        } else if (left <= 0) {
                            pi--;
                            break;
                        } else if (left >= 3 && p(pi + 1) == '-') {
                            int start = fold(p(pi));
                            int end = fold(p(pi + 2));
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            int c = fold(s(si));
                            pi += 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (fold(p(pi)) == fold(s(si))) {
                            match = true;
                        }
                        pi++;
                    }
                    if (not == match) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pattern.length - pi >= 2) {
                        pi++;
                    }
                    if (fold(p(pi)) != fold(s(si))) {
                        return false;
                    }
                    si++;
                    break;
                default:
                    if (fold(p(pi)) != fold(s(si))) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == string.length) {
                while (pi < pattern.length && pattern[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi >= pattern.length && si == string.length;
    }
}
