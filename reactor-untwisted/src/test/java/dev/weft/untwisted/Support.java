package dev.weft.untwisted;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorNotRestartableException;

/** Helpers of the smoke tests. */
final class Support {

    private Support() {
    }

    /** Shuts a reactor down (closing its connections and ports), whether it ran or not; once stopped, nothing. */
    static void shutDown(Reactor reactor) {
        try {
            reactor.callWhenRunning(reactor::stop);
            reactor.run();
        } catch (ReactorNotRestartableException stoppedAlready) {
            // a test shut it down itself
        }
    }
}
