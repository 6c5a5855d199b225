package dev.weft.compat.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;

/**
 * Walks bad arguments through public methods: each call must throw the expected exception at once, with a message
 * that names the argument (as a word, case-insensitively). Every problem is collected, and {@link #assertClean()}
 * reports them all together; {@link #assertCovers} checks that every public method with parameters of an
 * interface was walked or is listed, with the reason, as having no bad value.
 */
final class ArgumentWalk {
    private final String where;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> walked = new TreeSet<>();
    private int calls;

    /**
     * Starts a walk.
     *
     * @param where where the calls are made, for messages ("before run()", "on the reactor thread")
     */
    ArgumentWalk(String where) {
        this.where = where;
    }

    /**
     * The signature of a method as this walk names it: {@code listenTCP(int, Factory, int, String)}.
     *
     * @param m the method
     * @return its signature
     */
    static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * Makes one bad call.
     *
     * @param signature the method, as {@link #signature(Method)} gives it
     * @param bad       what is bad about the call ("port -1")
     * @param expected  the exception it must throw (or a subclass)
     * @param call      the call
     * @param names     acceptable names of the argument in the message
     */
    void refuses(String signature, String bad, Class<? extends Throwable> expected, Executable call,
            String... names) {
        walked.add(signature);
        calls++;
        String what = signature + " with " + bad + " (" + where + ")";
        Throwable thrown;
        try {
            call.execute();
            problems.add(what + " was accepted; it must throw " + expected.getSimpleName());
            return;
        } catch (Throwable t) {
            thrown = t;
        }
        if (!expected.isInstance(thrown)) {
            problems.add(what + " threw " + thrown + "; expected " + expected.getSimpleName());
        } else if (!namesOneOf(thrown.getMessage(), names)) {
            problems.add(what + ": the message must name the argument (" + String.join(" or ", names) + "), was: "
                    + thrown.getMessage());
        }
    }

    private static boolean namesOneOf(String message, String... names) {
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        for (String n : names) {
            Pattern word = Pattern.compile("(^|[^a-z0-9_])" + Pattern.quote(n.toLowerCase(Locale.ROOT))
                    + "($|[^a-z0-9_])");
            if (word.matcher(lower).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many bad calls were made.
     *
     * @return the count
     */
    int calls() {
        return calls;
    }

    /**
     * The signatures walked.
     *
     * @return the signatures
     */
    Set<String> walked() {
        return walked;
    }

    /** Fails with every problem found, if any. */
    void assertClean() {
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + calls + " bad calls were not refused properly:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /**
     * Fails unless every public method of {@code type} (inherited ones included) that takes parameters was walked
     * or is in {@code noBadValue}, which says why it has no argument to refuse.
     *
     * @param type       the interface or class
     * @param noBadValue signatures with the reason they are not walked
     */
    void assertCovers(Class<?> type, Map<String, String> noBadValue) {
        List<String> missing = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String sig = signature(m);
            if (!walked.contains(sig) && !noBadValue.containsKey(sig)) {
                missing.add(m.getDeclaringClass().getSimpleName() + "." + sig);
            }
        }
        if (!missing.isEmpty()) {
            fail("public methods of " + type.getSimpleName() + " not walked with bad arguments (walk them, or list "
                    + "them with the reason they have none): " + missing);
        }
    }
}
