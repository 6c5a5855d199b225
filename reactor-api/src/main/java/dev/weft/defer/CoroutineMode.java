package dev.weft.defer;

import dev.weft.reactor.ReactorConfig;
import java.util.Locale;

/**
 * How coroutine bodies run, chosen once per JVM by the option {@value #PROPERTY} (system property, else the
 * environment variable {@code WEFT_COROUTINES}): {@code threads} (the default: each body on a thread of its own,
 * virtual on JDK 21+, needing no JVM flag) or {@code continuation} (the opt-in: each body in a
 * {@code jdk.internal.vm.Continuation} on the thread it acts for; JDK 21+ and the JVM flag
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}). A continuation mode the JVM cannot run is not
 * replaced by threads: every {@code fromCoroutine} then fails with an {@link IllegalStateException} naming what to
 * add or remove, since bodies would otherwise see other {@code ThreadLocal}s than the configuration promised.
 */
enum CoroutineMode {
    /** Each body on a thread of its own, with a strict hand-off ({@link CoroutineRun}). */
    THREADS {
        @Override
        <T> BodyRun newRun(Coroutine<T> body, Deferred<T> outer) {
            return new CoroutineRun<>(body, outer);
        }

        @Override
        <T> T await(Deferred<T> d) throws Exception {
            return CoroutineRun.await(d);
        }
    },
    /** Each body in a continuation on the thread it acts for ({@link ContinuationRun}). */
    CONTINUATION {
        @Override
        <T> BodyRun newRun(Coroutine<T> body, Deferred<T> outer) {
            return new ContinuationRun<>(Selection.continuations(), body, outer);
        }

        @Override
        <T> T await(Deferred<T> d) throws Exception {
            return ContinuationRun.await(d);
        }
    };

    /** The option that selects the mode. */
    static final String PROPERTY = "weft.coroutines";

    /**
     * A new, not yet started run of {@code body}, whose outcome fires {@code outer}. On the calling thread of
     * {@code fromCoroutine}.
     */
    abstract <T> BodyRun newRun(Coroutine<T> body, Deferred<T> outer);

    /** {@link Deferred#await()} in this mode. On a body's thread. */
    abstract <T> T await(Deferred<T> d) throws Exception;

    /**
     * The mode this JVM runs bodies in, read once. Any thread.
     *
     * @return the mode
     * @throws IllegalArgumentException if the option has a value other than {@code threads} or {@code continuation}
     * @throws IllegalStateException    if it asks for {@code continuation} and this JVM cannot run it (the message
     *                                  names the JVM flag to add)
     */
    static CoroutineMode selected() {
        Selection.check();
        return Selection.MODE;
    }

    /**
     * The mode a value of {@value #PROPERTY} names.
     *
     * @param value the option's value, null for the default
     * @return the mode
     * @throws IllegalArgumentException if it names none
     */
    static CoroutineMode parse(String value) {
        if (value == null) {
            return THREADS;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "threads":
                return THREADS;
            case "continuation":
                return CONTINUATION;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be threads or continuation, got '" + value + "'");
        }
    }

    /** The option as read when first needed, and, for {@link #CONTINUATION}, the continuation access or why not. */
    private static final class Selection {
        private static final CoroutineMode MODE;
        private static final RuntimeException PROBLEM;
        private static final Continuations CONTINUATIONS;

        static {
            CoroutineMode mode = THREADS;
            RuntimeException problem = null;
            Continuations continuations = null;
            try {
                mode = parse(ReactorConfig.option(PROPERTY, null));
                if (mode == CONTINUATION) {
                    continuations = Continuations.load();
                }
            } catch (RuntimeException e) {
                problem = e;
            }
            MODE = mode;
            PROBLEM = problem;
            CONTINUATIONS = continuations;
        }

        /** Throws, anew at each call, what made the option unusable. */
        static void check() {
            RuntimeException p = PROBLEM;
            if (p instanceof IllegalArgumentException) {
                throw new IllegalArgumentException(p.getMessage(), p);
            }
            if (p != null) {
                throw new IllegalStateException(p.getMessage(), p);
            }
        }

        static Continuations continuations() {
            check();
            return CONTINUATIONS;
        }
    }
}
