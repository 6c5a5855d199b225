package dev.weft.compat.net;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Checks on {@code connectionLost} and {@code clientConnectionFailed} reasons, with messages that show the chain. */
public final class Reasons {
    private Reasons() {
    }

    /**
     * Describes a throwable and its causes.
     *
     * @param t the throwable (may be null)
     * @return e.g. {@code "ConnectionLost: reset <- java.io.IOException: Connection reset by peer"}
     */
    public static String describe(Throwable t) {
        if (t == null) {
            return "null";
        }
        List<String> parts = new ArrayList<>();
        for (Throwable c : chain(t)) {
            String cls = c.getClass().getName().startsWith("dev.weft.") ? c.getClass().getSimpleName()
                    : c.getClass().getName();
            parts.add(c.getMessage() == null ? cls : cls + ": " + c.getMessage());
        }
        return String.join(" <- ", parts);
    }

    /**
     * The throwable and its causes, each once.
     *
     * @param t the throwable
     * @return the chain, {@code t} first
     */
    public static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    /**
     * Whether {@code t} or one of its causes is a {@code type}.
     *
     * @param t    the throwable
     * @param type the class
     * @return whether the chain holds one
     */
    public static boolean chainContains(Throwable t, Class<? extends Throwable> type) {
        return t != null && chain(t).stream().anyMatch(type::isInstance);
    }

    /**
     * Fails unless {@code reason} is an instance of one of {@code types}.
     *
     * @param what  what the reason is, for the message
     * @param reason the reason
     * @param types  the acceptable classes
     */
    public static void assertOneOf(String what, Throwable reason, Class<?>... types) {
        for (Class<?> type : types) {
            if (type.isInstance(reason)) {
                return;
            }
        }
        fail(what + " must be " + names(types) + ", was " + describe(reason));
    }

    /**
     * Fails unless {@code reason}'s cause chain holds a {@code type}.
     *
     * @param what   what the reason is
     * @param reason the reason
     * @param type   the class
     */
    public static void assertChainContains(String what, Throwable reason, Class<? extends Throwable> type) {
        if (!chainContains(reason, type)) {
            fail(what + " must carry a " + type.getName() + " in its cause chain, was " + describe(reason));
        }
    }

    private static String names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(" or "));
    }
}
