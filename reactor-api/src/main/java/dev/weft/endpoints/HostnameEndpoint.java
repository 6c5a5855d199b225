package dev.weft.endpoints;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ConnectFailedException;
import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import dev.weft.reactor.DelayedCall;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorTCP;
import dev.weft.reactor.ReactorTime;
import dev.weft.reactor.internal.NetChecks;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Connects to a host name over TCP, trying its addresses as RFC 8305 ("Happy Eyeballs") describes (Twisted's
 * {@code HostnameEndpoint}): the name is resolved in the reactor's thread pool; the addresses are ordered by
 * alternating families, starting with the family of the first one the resolver gave; one attempt starts, and the
 * next starts {@value #ATTEMPT_DELAY_SECONDS} s later, or at once when an attempt fails; the first connection made
 * wins, and the attempts still under way are cancelled (their sockets closed). When every address fails, the
 * Deferred fails with the last failure; a name that does not resolve fails with a {@link ConnectFailedException}.
 * Only the winning connection gets a protocol from the factory.
 *
 * <p>Call on the reactor thread; the Deferred fires on it.
 */
public final class HostnameEndpoint implements ClientEndpoint {

    /** The delay between the starts of two attempts, Twisted's. */
    public static final double ATTEMPT_DELAY_SECONDS = 0.3;

    private final ReactorTCP tcp;
    private final ReactorTime clock;
    private final Function<String, Deferred<List<InetAddress>>> resolver;
    private final String host;
    private final int port;
    private final double timeoutSeconds;
    private final InetSocketAddress bindAddress;

    /**
     * Connects with the default timeout per attempt and no bind address.
     *
     * @param reactor the reactor: connects, times the attempts, and resolves in its thread pool
     * @param host    the host name (or an IP literal)
     * @param port    the port
     */
    public HostnameEndpoint(Reactor reactor, String host, int port) {
        this(reactor, host, port, ReactorTCP.DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * Connects with a timeout per attempt and a bind address.
     *
     * @param reactor        the reactor
     * @param host           the host name (or an IP literal)
     * @param port           the port, 1 to 65535
     * @param timeoutSeconds how long each attempt may take: positive
     * @param bindAddress    the local address to bind, or null
     * @throws NullPointerException     if {@code reactor} or {@code host} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public HostnameEndpoint(Reactor reactor, String host, int port, double timeoutSeconds,
            InetSocketAddress bindAddress) {
        this(reactor, reactor, threadPoolResolver(reactor), host, port, timeoutSeconds, bindAddress);
    }

    /**
     * For tests: a given clock and resolver.
     *
     * @param tcp            what connects
     * @param clock          what times the attempts
     * @param resolver       resolves a name to its addresses, in the resolver's order
     * @param host           the host name
     * @param port           the port
     * @param timeoutSeconds the timeout per attempt
     * @param bindAddress    the local address, or null
     */
    HostnameEndpoint(ReactorTCP tcp, ReactorTime clock, Function<String, Deferred<List<InetAddress>>> resolver,
            String host, int port, double timeoutSeconds, InetSocketAddress bindAddress) {
        this.tcp = Objects.requireNonNull(tcp, "reactor must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
        NetChecks.connect(host, port, tcp, timeoutSeconds, bindAddress);
        this.host = host;
        this.port = port;
        this.timeoutSeconds = timeoutSeconds;
        this.bindAddress = bindAddress;
    }

    private static Function<String, Deferred<List<InetAddress>>> threadPoolResolver(Reactor reactor) {
        Objects.requireNonNull(reactor, "reactor must not be null");
        return name -> {
            InetAddress literal = NetChecks.ipLiteral(name);
            if (literal != null) {
                return Deferred.succeed(List.of(literal));
            }
            return reactor.deferToThread(() -> List.of(InetAddress.getAllByName(name)));
        };
    }

    @Override
    public Deferred<Protocol> connect(Factory factory) {
        Objects.requireNonNull(factory, "factory must not be null");
        return new Race(factory).start();
    }

    /**
     * Orders addresses as RFC 8305 section 4 says: alternating families, the first family first.
     *
     * @param addresses the resolver's order
     * @return the order of the attempts
     */
    static List<InetAddress> interleave(List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return List.of();
        }
        boolean firstV6 = addresses.get(0) instanceof Inet6Address;
        List<InetAddress> first = new ArrayList<>();
        List<InetAddress> other = new ArrayList<>();
        for (InetAddress a : addresses) {
            ((a instanceof Inet6Address) == firstV6 ? first : other).add(a);
        }
        List<InetAddress> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(first.size(), other.size()); i++) {
            if (i < first.size()) {
                out.add(first.get(i));
            }
            if (i < other.size()) {
                out.add(other.get(i));
            }
        }
        return out;
    }

    /** The endpoint's parameters, e.g. {@code HostnameEndpoint[host=example.com, port=80, timeout=30, bind=]}. */
    @Override
    public String toString() {
        return "HostnameEndpoint[host=" + host + ", port=" + port + ", timeout=" + Describe.number(timeoutSeconds)
                + ", bind=" + Describe.bind(bindAddress) + "]";
    }

    /** One {@code connect}: the resolution, the staggered attempts, the winner. Reactor thread. */
    private final class Race {
        private final Deferred<Protocol> result = new Deferred<>(d -> stopAll());
        private final Factory guard;
        private final List<Deferred<Protocol>> pending = new ArrayList<>();
        private List<InetAddress> queue = List.of();
        private int next;
        private DelayedCall timer;
        private Deferred<List<InetAddress>> resolving;
        private Throwable lastFailure;
        private boolean done;
        private boolean won;

        Race(Factory factory) {
            // One factory for every attempt: only the first connection made gets a protocol.
            this.guard = new Factory() {
                @Override
                public Protocol buildProtocol(InetSocketAddress address) {
                    if (won) {
                        return null;
                    }
                    Protocol p = factory.buildProtocol(address);
                    won = p != null;
                    return p;
                }

                @Override
                protected void startFactory() {
                    factory.doStart();
                }

                @Override
                protected void stopFactory() {
                    factory.doStop();
                }
            };
        }

        Deferred<Protocol> start() {
            Deferred<List<InetAddress>> r;
            try {
                r = resolver.apply(host);
            } catch (RuntimeException e) {
                return Deferred.fail(e);
            }
            resolving = r;
            r.addCallbacks(addresses -> {
                resolving = null;
                if (!done) {
                    queue = interleave(addresses);
                    if (queue.isEmpty()) {
                        finish(null, new ConnectFailedException("host " + host + " has no address", null));
                    } else {
                        startNext();
                    }
                }
                return null;
            }, e -> {
                resolving = null;
                if (!done) {
                    finish(null, e instanceof ConnectFailedException ? e
                            : new ConnectFailedException("cannot resolve host " + host + ": " + e, e));
                }
                return null;
            });
            return result;
        }

        private void startNext() {
            cancelTimer();
            if (done) {
                return;
            }
            if (next >= queue.size()) {
                if (pending.isEmpty()) {
                    finish(null, lastFailure);
                }
                return;
            }
            String address = queue.get(next++).getHostAddress();
            Deferred<Protocol> d = ConnectionWaiter.connect(guard,
                    f -> tcp.connectTCP(address, port, f, timeoutSeconds, bindAddress));
            pending.add(d);
            d.addCallbacks(p -> {
                pending.remove(d);
                if (!done) {
                    finish(p, null);
                }
                return null;
            }, e -> {
                pending.remove(d);
                if (!done) {
                    lastFailure = e;
                    startNext();
                }
                return null;
            });
            if (!done && next < queue.size()) {
                timer = clock.callLater(ATTEMPT_DELAY_SECONDS, () -> {
                    timer = null;
                    startNext();
                });
            }
        }

        private void finish(Protocol p, Throwable failure) {
            done = true;
            stopOthers();
            if (p != null) {
                result.callback(p);
            } else {
                result.errback(failure);
            }
        }

        private void stopAll() {
            done = true;
            if (resolving != null) {
                Deferred<List<InetAddress>> r = resolving;
                resolving = null;
                r.cancel();
            }
            stopOthers();
        }

        private void stopOthers() {
            cancelTimer();
            for (Deferred<Protocol> d : new ArrayList<>(pending)) {
                d.cancel();
            }
            pending.clear();
        }

        private void cancelTimer() {
            if (timer != null) {
                DelayedCall t = timer;
                timer = null;
                if (t.active()) {
                    t.cancel();
                }
            }
        }
    }
}
