package dev.weft.bench.jmh;

import dev.weft.defer.Deferred;
import dev.weft.reactor.Reactor;
import dev.weft.task.Task;
import java.util.concurrent.CompletableFuture;

/**
 * Round trips of a Weft coroutine: the body runs on the reactor's behalf (started from a {@code callFromThread}
 * task) and loops {@code Task.deferLater(reactor, 0).await()}: a {@code callLater(0)} whose DelayedCall fires the
 * awaited Deferred on the reactor thread on the next pass of the loop, which resumes the body.
 */
final class WeftRoundTrips implements RoundTrips {

    private final Target target;
    private final Reactor reactor;

    WeftRoundTrips(Target target) {
        this.target = target;
        this.reactor = target.weftReactor();
        if (reactor == null) {
            target.close();
            throw new IllegalArgumentException("target " + target + " is not a Weft reactor");
        }
    }

    @Override
    public int run(int n) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        reactor.callFromThread(() -> Deferred.fromCoroutine(() -> loop(n)).addBoth((count, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(count);
            }
            return null;
        }));
        return BenchSupport.join(done, n + " coroutine round trips on " + target);
    }

    private int loop(int n) throws Exception {
        int count = 0;
        for (int i = 0; i < n; i++) {
            Task.deferLater(reactor, 0).await();
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        target.close();
    }

    @Override
    public String toString() {
        return target.name();
    }
}
