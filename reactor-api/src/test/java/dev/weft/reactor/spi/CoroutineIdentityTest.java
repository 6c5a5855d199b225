package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.weft.defer.Deferred;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Rule 7's hook: a coroutine body standing in for the reactor thread passes the reactor's thread checks. */
class CoroutineIdentityTest {

    @Test
    void aBodyOnTheReactorsBehalfPassesThreadChecksAndOneOnAForeignThreadsBehalfIsRefused() throws Exception {
        StreamTransportTest.IdleReactor reactor = new StreamTransportTest.IdleReactor();
        List<String> seen = new CopyOnWriteArrayList<>();
        Deferred<Void> gate = new Deferred<>();
        reactor.callWhenRunning(() -> {
            reactor.callLater(10, reactor::stop); // bound: a broken check must not hang the build
            Deferred.fromCoroutine(() -> {
                seen.add("started: reactor thread " + reactor.isReactorThread());
                gate.await(); // resumes inside the timer below, on the reactor's behalf
                seen.add("resumed: reactor thread " + reactor.isReactorThread());
                reactor.callLater(0, () -> {
                    seen.add("timer from body ran");
                    reactor.stop();
                });
                return null;
            }).addErrback(f -> {
                seen.add("body failed: " + f);
                reactor.stop();
                return null;
            });
            Thread foreign = new Thread(() -> Deferred.fromCoroutine(() -> {
                try {
                    reactor.callLater(0, () -> { });
                    seen.add("foreign body: callLater allowed");
                } catch (IllegalStateException e) {
                    seen.add("foreign body: callLater refused");
                }
                return null;
            }), "foreign");
            foreign.start();
            try {
                foreign.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertFalse(foreign.isAlive());
            reactor.callLater(0, () -> gate.callback(null));
        });
        reactor.run();
        assertEquals(List.of("started: reactor thread true", "foreign body: callLater refused",
                "resumed: reactor thread true", "timer from body ran"), seen);
    }
}
