package dev.weft.examples;

import dev.weft.defer.Deferred;
import dev.weft.endpoints.ServerEndpoint;
import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@code --listen DESCRIPTION} gives the server examples: the reactor, except that its {@code listenTCP} listens
 * on the endpoint of the description instead (a TCP port, a UNIX socket, TLS), so each example's own listen call
 * works unchanged. Used on the thread that starts the example, before the reactor runs.
 */
final class EndpointReactor {

    private EndpointReactor() {
    }

    /**
     * The reactor, with {@code listenTCP} going to {@code endpoint}.
     *
     * @param reactor  the reactor
     * @param endpoint where the example listens
     * @return a reactor that is {@code reactor} but for {@code listenTCP}
     */
    static Reactor listeningOn(Reactor reactor, ServerEndpoint endpoint) {
        return (Reactor) Proxy.newProxyInstance(Reactor.class.getClassLoader(), new Class<?>[] {Reactor.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("listenTCP")) {
                        return listen(endpoint, (Factory) args[1]);
                    }
                    try {
                        return method.invoke(reactor, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static ListeningPort listen(ServerEndpoint endpoint, Factory factory) {
        Deferred<ListeningPort> d = endpoint.listen(factory);
        AtomicReference<ListeningPort> port = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        d.addCallbacks(p -> {
            port.set(p);
            return p;
        }, e -> {
            failure.set(e);
            return null;
        });
        if (failure.get() instanceof RuntimeException) {
            throw (RuntimeException) failure.get();
        }
        if (failure.get() != null) {
            throw new CannotListenException("cannot listen on " + endpoint + ": " + failure.get(), null,
                    failure.get());
        }
        return port.get();
    }
}
