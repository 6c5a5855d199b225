package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks on exception messages. */
final class Messages {
    private Messages() {
    }

    /**
     * Fails unless {@code e}'s message names the argument: one of {@code names} appears in it as a word,
     * case-insensitively.
     *
     * @param e     the exception
     * @param names acceptable names of the argument
     */
    static void assertNamesArgument(Throwable e, String... names) {
        String m = e.getMessage();
        if (m != null) {
            String lower = m.toLowerCase(Locale.ROOT);
            for (String n : names) {
                Pattern word = Pattern.compile("(^|[^a-z0-9_])" + Pattern.quote(n.toLowerCase(Locale.ROOT))
                        + "($|[^a-z0-9_])");
                if (word.matcher(lower).find()) {
                    return;
                }
            }
        }
        fail(e.getClass().getSimpleName() + " message must name the argument (one of "
                + String.join(", ", names) + "), was: " + m);
    }
}
