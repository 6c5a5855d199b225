package dev.weft.compat.harness;

import dev.weft.reactor.Reactor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in reactor for the harness's own tests: {@code run()} blocks until {@code crash()}, {@code stop()} or
 * 10 seconds; {@code callFromThread} runs its argument at once. Everything else is unsupported.
 */
final class FakeReactor implements InvocationHandler {
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<Runnable> whenRunning = new CopyOnWriteArrayList<>();
    private final boolean stopOnCrash;
    private volatile boolean running;
    private volatile int crashes;
    private final Reactor proxy;

    /**
     * Creates a fake.
     *
     * @param stopOnCrash whether {@code crash()} ends {@code run()}; if not, only an interrupt does
     */
    FakeReactor(boolean stopOnCrash) {
        this.stopOnCrash = stopOnCrash;
        this.proxy = (Reactor) Proxy.newProxyInstance(Reactor.class.getClassLoader(),
                new Class<?>[] {Reactor.class}, this);
    }

    Reactor reactor() {
        return proxy;
    }

    int crashes() {
        return crashes;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "run":
                running = true;
                whenRunning.forEach(Runnable::run);
                try {
                    ended.await(10, TimeUnit.SECONDS);
                } finally {
                    running = false;
                }
                return null;
            case "crash":
                crashes++;
                if (stopOnCrash) {
                    ended.countDown();
                }
                return null;
            case "stop":
                ended.countDown();
                return null;
            case "callFromThread":
                ((Runnable) args[0]).run();
                return null;
            case "callWhenRunning":
                whenRunning.add((Runnable) args[0]);
                return null;
            case "isRunning":
                return running;
            case "backendName":
                return "fake";
            case "toString":
                return "FakeReactor";
            case "hashCode":
                return System.identityHashCode(self);
            case "equals":
                return self == args[0];
            default:
                throw new UnsupportedOperationException(method.getName());
        }
    }
}
