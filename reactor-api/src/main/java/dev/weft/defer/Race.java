package dev.weft.defer;

import java.util.ArrayList;
import java.util.List;

/** {@link Deferred#race}: the first success wins, the others are cancelled. On the thread owning the Deferreds. */
final class Race<T> {
    private final List<Deferred<? extends T>> ds;
    private final Deferred<Deferred.Raced<T>> winner;
    private final Throwable[] failures;
    private int failed;
    private boolean done;

    private Race(List<Deferred<? extends T>> ds) {
        this.ds = ds;
        this.failures = new Throwable[ds.size()];
        this.winner = new Deferred<>(w -> cancelAll(-1));
    }

    static <T> Deferred<Deferred.Raced<T>> race(List<Deferred<? extends T>> ds) {
        if (ds.isEmpty()) {
            throw new IllegalArgumentException("race needs at least one Deferred");
        }
        Race<T> r = new Race<>(new ArrayList<>(ds));
        for (int i = 0; i < r.ds.size(); i++) {
            int index = i;
            r.ds.get(i).addBoth((value, failure) -> {
                r.settle(index, value, failure);
                return null;
            });
        }
        return r.winner;
    }

    private void settle(int index, T value, Throwable failure) {
        if (done) {
            return; // a loser, cancelled or late: its outcome is dropped
        }
        if (failure == null) {
            done = true;
            cancelAll(index);
            winner.callback(new Deferred.Raced<>(index, value));
            return;
        }
        failures[index] = failure;
        if (++failed == ds.size()) {
            done = true;
            FirstErrorException e = new FirstErrorException(0, failures[0]);
            for (Throwable f : failures) {
                e.addSuppressed(f);
            }
            winner.errback(e);
        }
    }

    private void cancelAll(int except) {
        done = true; // cancelled losers' failures are dropped; a cancelled race fails with CancelledException
        for (int i = 0; i < ds.size(); i++) {
            if (i != except) {
                ds.get(i).cancel();
            }
        }
    }
}
