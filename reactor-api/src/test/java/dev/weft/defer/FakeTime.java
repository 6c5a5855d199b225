package dev.weft.defer;

import dev.weft.reactor.AlreadyCalledException;
import dev.weft.reactor.AlreadyCancelledException;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.ReactorTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A ReactorTime that only moves on {@link #advance(double)}: no real time in tests. */
final class FakeTime implements ReactorTime {
    private double now;
    private long sequence;
    private final List<Call> calls = new ArrayList<>();

    @Override
    public double seconds() {
        return now;
    }

    @Override
    public DelayedCall callLater(double delaySeconds, Runnable f) {
        Call c = new Call(now + delaySeconds, sequence++, f);
        calls.add(c);
        return c;
    }

    @Override
    public List<DelayedCall> getDelayedCalls() {
        List<DelayedCall> active = new ArrayList<>();
        for (Call c : calls) {
            if (c.active()) {
                active.add(c);
            }
        }
        return active;
    }

    /** Moves time on by {@code dt} and runs every call due by then, in deadline then FIFO order. */
    void advance(double dt) {
        now += dt;
        while (true) {
            Call next = calls.stream()
                    .filter(c -> c.state == State.PENDING && c.time <= now)
                    .min(Comparator.comparingDouble((Call c) -> c.time).thenComparingLong(c -> c.seq))
                    .orElse(null);
            if (next == null) {
                return;
            }
            next.state = State.RUNNING;
            try {
                next.f.run();
            } finally {
                next.state = State.CALLED;
            }
        }
    }

    private enum State { PENDING, RUNNING, CALLED, CANCELLED }

    private final class Call implements DelayedCall {
        double time;
        final long seq;
        final Runnable f;
        State state = State.PENDING;

        Call(double time, long seq, Runnable f) {
            this.time = time;
            this.seq = seq;
            this.f = f;
        }

        @Override
        public double getTime() {
            return time;
        }

        @Override
        public void cancel() {
            check();
            state = State.CANCELLED;
        }

        @Override
        public void delay(double secondsLater) {
            check();
            time += secondsLater;
        }

        @Override
        public void reset(double secondsFromNow) {
            check();
            time = now + secondsFromNow;
        }

        @Override
        public boolean active() {
            return state == State.PENDING;
        }

        private void check() {
            if (state == State.RUNNING || state == State.CALLED) {
                throw new AlreadyCalledException("already called");
            }
            if (state == State.CANCELLED) {
                throw new AlreadyCancelledException("already cancelled");
            }
        }
    }
}
