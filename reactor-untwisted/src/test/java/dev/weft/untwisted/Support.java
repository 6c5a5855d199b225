package dev.weft.untwisted;

import dev.weft.reactor.Reactor;

/** Helpers of the smoke tests. */
final class Support {

    private Support() {
    }

    /** Shuts a reactor down (closing its connections and ports), whether it ran or not. */
    static void shutDown(Reactor reactor) {
        reactor.callWhenRunning(reactor::stop);
        reactor.run();
    }
}
