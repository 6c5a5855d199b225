package dev.weft.bench.jmh;

/**
 * A coroutine that suspends and is resumed by its event loop, over and over: the work of
 * {@link CoroutineRoundTripBenchmark}, on Weft ({@link WeftRoundTrips}) or on Vert.x ({@link VertxRoundTrips}).
 */
interface RoundTrips extends AutoCloseable {

    /** The target names of Weft: the reactors that own or borrow a loop. */
    java.util.List<String> WEFT_TARGETS = java.util.List.of("untwisted", "netty-nio", "netty-epoll",
            "netty-attached-nio");

    /**
     * Runs one coroutine on the loop that makes {@code n} round trips (suspend on an unfired future, the loop
     * completes it from a task of its own, resume), and waits for it to end. Call it from a thread that is not the
     * loop's.
     *
     * @param n how many round trips
     * @return {@code n}, as the coroutine counted them
     * @throws IllegalStateException if the coroutine fails or takes more than 30 s
     */
    int run(int n);

    /**
     * Opens the round trips of a target.
     *
     * @param target a name of {@link #WEFT_TARGETS}, {@value HandOffRoundTrips#TARGET}, {@value JdkPingPong#TARGET}, or a
     *               target of
     *               {@link VertxRoundTrips.Completer}
     * @return the round trips, their loop running
     * @throws IllegalArgumentException      if the name is unknown
     * @throws UnsupportedOperationException for a Vert.x target on a JDK without virtual threads (17)
     */
    static RoundTrips open(String target) {
        if (WEFT_TARGETS.contains(target)) {
            return new WeftRoundTrips(Target.open(target, Target.Mode.BACKGROUND));
        }
        if (target.equals(HandOffRoundTrips.TARGET)) {
            return new HandOffRoundTrips();
        }
        if (target.equals(JdkPingPong.TARGET)) {
            return new JdkPingPong();
        }
        return VertxRoundTrips.open(VertxRoundTrips.Completer.ofTarget(target));
    }

    @Override
    void close();
}
