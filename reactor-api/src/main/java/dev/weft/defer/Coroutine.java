package dev.weft.defer;

/**
 * The body of a coroutine: straight-line code that {@linkplain Deferred#await() awaits} Deferreds. Run it with
 * {@link Deferred#fromCoroutine(Coroutine)}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Coroutine<T> {
    /**
     * Runs the body. Runs on a coroutine thread, on behalf of the thread that started or resumed it (with the
     * opt-in {@code weft.coroutines=continuation}: on that thread itself).
     *
     * @return the result (a Deferred returned here is chained: the coroutine's Deferred fires with its result)
     * @throws Exception to fail the coroutine's Deferred with it
     */
    T run() throws Exception;
}
