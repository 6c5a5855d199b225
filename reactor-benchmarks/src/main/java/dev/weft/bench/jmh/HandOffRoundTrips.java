package dev.weft.bench.jmh;

import dev.weft.defer.Deferred;

/**
 * Round trips of a Weft coroutine with no event loop, to isolate the hand-off between threads: the calling thread
 * starts a body that loops awaiting a fresh Deferred, and fires each one itself, so each round trip is one
 * hand-over to the body and one back, and nothing else (target {@code weft-handoff}).
 */
final class HandOffRoundTrips implements RoundTrips {

    /** The target name. */
    static final String TARGET = "weft-handoff";

    /** The Deferred the body awaits now; written by the body, read by the driver after the body handed back. */
    private Deferred<Void> awaited;

    @Override
    public int run(int n) {
        Deferred<Integer> body = Deferred.fromCoroutine(() -> {
            int count = 0;
            for (int i = 0; i < n; i++) {
                Deferred<Void> d = new Deferred<>();
                awaited = d;
                d.await();
                count++;
            }
            return count;
        });
        for (int i = 0; i < n && !body.isCalled(); i++) {
            awaited.callback(null);
        }
        int[] count = {-1};
        body.addBoth((value, failure) -> {
            if (failure != null) {
                throw new IllegalStateException("the body failed", failure);
            }
            count[0] = value;
            return null;
        });
        if (count[0] != n) {
            throw new IllegalStateException("the body made " + count[0] + " round trips of " + n);
        }
        return n;
    }

    @Override
    public void close() {
        awaited = null;
    }

    @Override
    public String toString() {
        return TARGET;
    }
}
