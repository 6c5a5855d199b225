import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;

public final class FirstProgram {
    public static void main(String[] args) {
        Reactor reactor = Reactors.create();          // backend from weft.reactor / WEFT_REACTOR, else untwisted
        reactor.callWhenRunning(() -> System.out.println("running on " + reactor.backendName()));
        reactor.callLater(1.5, () -> System.out.println("a second and a half later"));
        reactor.deferToThread(() -> expensiveBlockingWork())
               .addCallback(result -> { System.out.println("got " + result); return null; });
        reactor.callLater(3, reactor::stop);
        reactor.run();                                 // returns after the shutdown triggers ran
    }

    /** Runs in the reactor's thread pool, never on the reactor thread. */
    private static long expensiveBlockingWork() {
        long sum = 0;
        for (int i = 1; i <= 1_000_000; i++) {
            sum += i;
        }
        return sum;
    }
}
