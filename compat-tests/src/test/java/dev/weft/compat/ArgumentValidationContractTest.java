package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.compat.harness.ContractTest;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Reactor;
import java.time.Duration;

/** Bad arguments are refused at once, with a message that names the argument. */
final class ArgumentValidationContractTest {
    private static final double[] BAD_DELAYS = {-1, -Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    private static final String[] CALLABLE_NAMES = {"f", "callable", "function", "runnable", "task"};

    @ContractTest
    void callLaterRejectsNegativeNaNAndInfiniteDelays(Reactor r) {
        for (double bad : BAD_DELAYS) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.callLater(bad, () -> { }), "callLater(" + bad + ")");
            Messages.assertNamesArgument(e, "delaySeconds", "delay");
        }
        assertEquals(0, r.getDelayedCalls().size(), "a refused call must not be scheduled");
    }

    @ContractTest
    void callLaterRejectsNullCallable(Reactor r) {
        Messages.assertNamesArgument(assertThrows(NullPointerException.class, () -> r.callLater(1, null)),
                CALLABLE_NAMES);
        Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                () -> r.callLater(Duration.ofSeconds(1), null)), CALLABLE_NAMES);
        Messages.assertNamesArgument(assertThrows(NullPointerException.class,
                () -> r.callLater((Duration) null, () -> { })), "delay");
        assertEquals(0, r.getDelayedCalls().size(), "a refused call must not be scheduled");
    }

    @ContractTest
    void callLaterRejectsNegativeDuration(Reactor r) {
        Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                () -> r.callLater(Duration.ofMillis(-1), () -> { })), "delay");
    }

    @ContractTest
    void delayRejectsNaNAndInfinity(Reactor r) {
        DelayedCall c = r.callLater(1, () -> { });
        double t = c.getTime();
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.delay(bad),
                    "delay(" + bad + ")");
            Messages.assertNamesArgument(e, "secondsLater", "seconds", "delay");
        }
        assertEquals(t, c.getTime(), "a refused delay must not move the call");
    }

    @ContractTest
    void resetRejectsNegativeNaNAndInfinity(Reactor r) {
        DelayedCall c = r.callLater(1, () -> { });
        double t = c.getTime();
        for (double bad : BAD_DELAYS) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.reset(bad),
                    "reset(" + bad + ")");
            Messages.assertNamesArgument(e, "secondsFromNow", "seconds", "delay");
        }
        assertEquals(t, c.getTime(), "a refused reset must not move the call");
    }

    @ContractTest
    void threadEntryPointsRejectNullCallables(Reactor r) {
        Messages.assertNamesArgument(assertThrows(NullPointerException.class, () -> r.callFromThread(null)),
                CALLABLE_NAMES);
        Messages.assertNamesArgument(assertThrows(NullPointerException.class, () -> r.callInThread(null)),
                CALLABLE_NAMES);
        Messages.assertNamesArgument(assertThrows(NullPointerException.class, () -> r.deferToThread(null)),
                CALLABLE_NAMES);
        Messages.assertNamesArgument(assertThrows(NullPointerException.class, () -> r.callWhenRunning(null)),
                CALLABLE_NAMES);
    }

    @ContractTest
    void blockingCallFromThreadRejectsNullCallable(Reactor r) throws Exception {
        Throwable[] thrown = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                r.blockingCallFromThread(null);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "not-the-reactor-thread");
        worker.setDaemon(true);
        worker.start();
        worker.join(dev.weft.compat.harness.Await.TIMEOUT.toMillis());
        assertEquals(NullPointerException.class, thrown[0] == null ? null : thrown[0].getClass(),
                "blockingCallFromThread(null) from another thread: " + thrown[0]);
        Messages.assertNamesArgument(thrown[0], CALLABLE_NAMES);
    }

    @ContractTest
    void descriptorMethodsRejectNull(Reactor r) {
        Messages.assertNamesArgument(assertThrows(NullPointerException.class, () -> r.addReader(null)),
                "reader", "descriptor");
        Messages.assertNamesArgument(assertThrows(NullPointerException.class, () -> r.addWriter(null)),
                "writer", "descriptor");
    }

    @ContractTest
    void suggestThreadPoolSizeRejectsZeroAndNegative(Reactor r) {
        for (int bad : new int[] {0, -1}) {
            Messages.assertNamesArgument(assertThrows(IllegalArgumentException.class,
                    () -> r.suggestThreadPoolSize(bad)), "size");
        }
    }
}
