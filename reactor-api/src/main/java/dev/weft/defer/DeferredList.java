package dev.weft.defer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

/**
 * Waits for several Deferreds (Twisted's {@code DeferredList} and {@code gatherResults}).
 *
 * <p>{@link #of} gives a Deferred that fires with the outcome of every Deferred, in the order given, once all have
 * fired; {@link Option options} make it fire at the first success or fail at the first failure, and consume the
 * failures. {@link #gatherResults} gives the list of results, or fails at the first failure.
 *
 * <p>Threads: the combined Deferred fires inside the {@code callback}/{@code errback} of the source Deferred that
 * completes it, on that thread (at once, inside {@code of}, if the sources have fired or the list is empty).
 * Like every Deferred, none of this is thread-safe.
 */
public final class DeferredList {

    /** How a {@link DeferredList} fires. */
    public enum Option {
        /** Fire with the outcome of the first Deferred that succeeds, without waiting for the others. */
        FIRE_ON_ONE_CALLBACK,
        /** Fail with a {@link FirstErrorException} as soon as one Deferred fails. */
        FIRE_ON_ONE_ERRBACK,
        /**
         * Handle the failures of the source Deferreds: each goes on with {@code null} after the list has seen its
         * failure, so it is not reported as unhandled. Without it, the failure stays in the source's chain.
         */
        CONSUME_ERRORS
    }

    /**
     * The outcome of one Deferred of a list: its index, and its result or its failure.
     *
     * @param index     the index of the Deferred in the list given
     * @param succeeded whether it succeeded
     * @param result    its result, or null if it failed
     * @param failure   its failure, or null if it succeeded
     * @param <T>       the result type
     */
    public record Outcome<T>(int index, boolean succeeded, T result, Throwable failure) {

        /**
         * Creates an outcome, checking that it is consistent.
         *
         * @param index     the index of the Deferred in the list given
         * @param succeeded whether it succeeded
         * @param result    its result, or null if it failed
         * @param failure   its failure, or null if it succeeded
         * @throws IllegalArgumentException if a success has a failure, or a failure has no failure or a result
         */
        public Outcome {
            if (succeeded ? failure != null : failure == null || result != null) {
                throw new IllegalArgumentException(
                        "a success has no failure, a failure has a failure and no result");
            }
        }

        /**
         * A success.
         *
         * @param index  the index of the Deferred
         * @param result its result
         * @param <T>    the result type
         * @return the outcome
         */
        public static <T> Outcome<T> ofResult(int index, T result) {
            return new Outcome<>(index, true, result, null);
        }

        /**
         * A failure.
         *
         * @param index   the index of the Deferred
         * @param failure its failure
         * @param <T>     the result type
         * @return the outcome
         * @throws IllegalArgumentException if {@code failure} is null
         */
        public static <T> Outcome<T> ofFailure(int index, Throwable failure) {
            return new Outcome<>(index, false, null, failure);
        }
    }

    private DeferredList() {
    }

    /**
     * A Deferred that fires with the outcomes of {@code deferreds}, in their order, once every one has fired (an
     * empty list fires at once, whatever the options). With {@link Option#FIRE_ON_ONE_CALLBACK} it fires instead
     * with a one-element list holding the outcome of the first Deferred that succeeds (Twisted's
     * {@code (result, index)}), or with all the outcomes if none succeeds. With {@link Option#FIRE_ON_ONE_ERRBACK}
     * it fails with a {@link FirstErrorException} at the first failure. With {@link Option#CONSUME_ERRORS} the
     * sources' failures are handled (each source goes on with {@code null}).
     *
     * <p>The list adds one link to each source now: links added to a source later see what the list left (its
     * result, or its failure unless consumed). The returned list is unmodifiable. Cancelling the returned Deferred
     * before it fires cancels every source (an exception from one source's canceller is thrown after all were
     * cancelled), which normally makes it fire with their outcomes.
     *
     * @param deferreds the Deferreds, read once
     * @param options   how to fire
     * @param <T>       the result type
     * @return a Deferred of the outcomes
     * @throws NullPointerException if {@code deferreds}, one of them, or an option is null
     */
    public static <T> Deferred<List<Outcome<T>>> of(List<? extends Deferred<? extends T>> deferreds,
            Option... options) {
        if (deferreds == null) {
            throw new NullPointerException("deferreds must not be null");
        }
        if (options == null) {
            throw new NullPointerException("options must not be null");
        }
        EnumSet<Option> opts = EnumSet.noneOf(Option.class);
        for (Option o : options) {
            if (o == null) {
                throw new NullPointerException("options must not contain null");
            }
            opts.add(o);
        }
        List<Deferred<? extends T>> sources = new ArrayList<>(deferreds);
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i) == null) {
                throw new NullPointerException("deferreds[" + i + "] must not be null");
            }
        }
        Deferred<List<Outcome<T>>> combined = new Deferred<>(self -> cancelAll(sources));
        if (sources.isEmpty()) {
            combined.callback(List.of());
            return combined;
        }
        new Collector<>(combined, sources.size(), opts).attach(sources);
        return combined;
    }

    /**
     * A Deferred of the results of {@code deferreds}, in their order, once all have succeeded; it fails with a
     * {@link FirstErrorException} (carrying the index and the failure) as soon as one fails. The sources keep
     * their failures (see {@link #gatherResults(List, boolean)}). An empty list gives an empty list at once.
     *
     * @param deferreds the Deferreds, read once
     * @param <T>       the result type
     * @return a Deferred of the results (an unmodifiable list, which may hold nulls)
     * @throws NullPointerException if {@code deferreds} or one of them is null
     */
    public static <T> Deferred<List<T>> gatherResults(List<? extends Deferred<? extends T>> deferreds) {
        return gatherResults(deferreds, false);
    }

    /**
     * Like {@link #gatherResults(List)}, with Twisted's {@code consumeErrors}: if true, the failures of the sources
     * are handled once seen (each source goes on with {@code null}), so only the {@link FirstErrorException} is
     * left to handle.
     *
     * @param deferreds     the Deferreds, read once
     * @param consumeErrors whether to handle the sources' failures
     * @param <T>           the result type
     * @return a Deferred of the results (an unmodifiable list, which may hold nulls)
     * @throws NullPointerException if {@code deferreds} or one of them is null
     */
    public static <T> Deferred<List<T>> gatherResults(List<? extends Deferred<? extends T>> deferreds,
            boolean consumeErrors) {
        Deferred<List<Outcome<T>>> all = consumeErrors
                ? of(deferreds, Option.FIRE_ON_ONE_ERRBACK, Option.CONSUME_ERRORS)
                : of(deferreds, Option.FIRE_ON_ONE_ERRBACK);
        return all.addCallback(outcomes -> {
            List<T> results = new ArrayList<>(outcomes.size());
            for (Outcome<T> o : outcomes) {
                results.add(o.result());
            }
            return Collections.unmodifiableList(results);
        });
    }

    private static void cancelAll(List<? extends Deferred<?>> sources) {
        RuntimeException first = null;
        for (Deferred<?> d : sources) {
            try {
                d.cancel();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Gathers the outcomes and fires the combined Deferred. */
    private static final class Collector<T> {
        private final Deferred<List<Outcome<T>>> combined;
        private final Outcome<?>[] outcomes;
        private final boolean fireOnOneCallback;
        private final boolean fireOnOneErrback;
        private final boolean consumeErrors;
        private int finished;

        Collector(Deferred<List<Outcome<T>>> combined, int n, EnumSet<Option> opts) {
            this.combined = combined;
            this.outcomes = new Outcome<?>[n];
            this.fireOnOneCallback = opts.contains(Option.FIRE_ON_ONE_CALLBACK);
            this.fireOnOneErrback = opts.contains(Option.FIRE_ON_ONE_ERRBACK);
            this.consumeErrors = opts.contains(Option.CONSUME_ERRORS);
        }

        void attach(List<? extends Deferred<?>> sources) {
            for (int i = 0; i < sources.size(); i++) {
                int index = i;
                sources.get(i).addObserver((succeeded, value) -> observe(index, succeeded, value));
            }
        }

        @SuppressWarnings("unchecked")
        private boolean observe(int index, boolean succeeded, Object value) {
            Outcome<T> outcome = succeeded
                    ? Outcome.ofResult(index, (T) value)
                    : Outcome.ofFailure(index, (Throwable) value);
            outcomes[index] = outcome;
            finished++;
            if (!combined.isCalled()) {
                if (succeeded && fireOnOneCallback) {
                    combined.callback(List.of(outcome));
                } else if (!succeeded && fireOnOneErrback) {
                    combined.errback(new FirstErrorException(index, (Throwable) value));
                } else if (finished == outcomes.length) {
                    combined.callback((List<Outcome<T>>) (List<?>) Collections.unmodifiableList(
                            Arrays.asList(outcomes)));
                }
            }
            return succeeded || !consumeErrors;
        }
    }
}
