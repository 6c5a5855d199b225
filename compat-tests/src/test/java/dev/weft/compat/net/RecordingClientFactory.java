package dev.weft.compat.net;

import dev.weft.protocol.ClientFactory;
import dev.weft.protocol.Connector;
import dev.weft.protocol.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A client factory that records its callbacks in order, in one list shared with the {@link Recorder}s it builds:
 * {@code startedConnecting}, {@code buildProtocol}, the protocol's events ({@code made}, {@code data},
 * {@code lost:Reason}), {@code clientConnectionFailed:Reason}, {@code clientConnectionLost:Reason}; and every
 * connector and reason it was given.
 */
public class RecordingClientFactory extends ClientFactory {
    private final Net net;
    private final Supplier<? extends Recorder> make;
    private final List<String> events = new ArrayList<>();
    private final List<Connector> connectors = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<Throwable> losses = new ArrayList<>();
    private final List<Recorder> protocols = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private BiConsumer<? super Connector, Throwable> onFailed;

    /**
     * Creates a factory.
     *
     * @param net  poked after each event
     * @param make makes each protocol
     */
    public RecordingClientFactory(Net net, Supplier<? extends Recorder> make) {
        this.net = net;
        this.make = make;
    }

    /**
     * A factory that builds {@code client} (once; a second buildProtocol gets a fresh recorder named
     * {@code "unexpected"}).
     *
     * @param net    the Net
     * @param client the protocol
     * @return the factory
     */
    public static RecordingClientFactory of(Net net, Recorder client) {
        boolean[] used = {false};
        return new RecordingClientFactory(net, () -> {
            if (used[0]) {
                return new Recorder(net, "unexpected second client of " + client.name());
            }
            used[0] = true;
            return client;
        });
    }

    /**
     * A factory whose protocols come from {@code make}.
     *
     * @param net  the Net
     * @param make makes each protocol
     * @return the factory
     */
    public static RecordingClientFactory of(Net net, Supplier<? extends Recorder> make) {
        return new RecordingClientFactory(net, make);
    }

    /**
     * Runs {@code hook} in {@code clientConnectionFailed}, after recording it.
     *
     * @param hook the hook
     * @return this
     */
    public RecordingClientFactory onFailed(BiConsumer<? super Connector, Throwable> hook) {
        this.onFailed = hook;
        return this;
    }

    @Override
    public void startedConnecting(Connector connector) {
        connectors.add(connector);
        events.add("startedConnecting");
        poke();
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        addresses.add(address);
        events.add("buildProtocol");
        Recorder p = make.get();
        p.setFactory(this);
        p.mirrorTo(events);
        protocols.add(p);
        poke();
        return p;
    }

    @Override
    public void clientConnectionFailed(Connector connector, Throwable reason) {
        connectors.add(connector);
        failures.add(reason);
        events.add("clientConnectionFailed:" + simpleName(reason));
        if (onFailed != null) {
            onFailed.accept(connector, reason);
        }
        poke();
    }

    @Override
    public void clientConnectionLost(Connector connector, Throwable reason) {
        connectors.add(connector);
        losses.add(reason);
        events.add("clientConnectionLost:" + simpleName(reason));
        poke();
    }

    private static String simpleName(Throwable t) {
        return t == null ? "null" : t.getClass().getSimpleName();
    }

    private void poke() {
        if (net != null) {
            net.poke();
        }
    }

    /**
     * Every callback so far, with the events of the protocols built.
     *
     * @return a copy
     */
    public List<String> events() {
        return new ArrayList<>(events);
    }

    /**
     * The connector given to each callback that takes one, in order.
     *
     * @return the connectors
     */
    public List<Connector> connectors() {
        return Collections.unmodifiableList(connectors);
    }

    /**
     * The reasons given to {@code clientConnectionFailed}.
     *
     * @return the reasons
     */
    public List<Throwable> failures() {
        return Collections.unmodifiableList(failures);
    }

    /**
     * The reasons given to {@code clientConnectionLost}.
     *
     * @return the reasons
     */
    public List<Throwable> losses() {
        return Collections.unmodifiableList(losses);
    }

    /**
     * The protocols built.
     *
     * @return the protocols
     */
    public List<Recorder> protocols() {
        return Collections.unmodifiableList(protocols);
    }

    /**
     * The addresses given to {@code buildProtocol}.
     *
     * @return the addresses
     */
    public List<InetSocketAddress> addresses() {
        return Collections.unmodifiableList(addresses);
    }

    /**
     * Whether the attempt is over: failed, or connected and lost.
     *
     * @return whether {@code clientConnectionFailed} or {@code clientConnectionLost} ran
     */
    public boolean settled() {
        return !failures.isEmpty() || !losses.isEmpty();
    }

    /**
     * Describes the state, for messages.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder b = new StringBuilder("client factory: ").append(events);
        for (Throwable f : failures) {
            b.append("; failed with ").append(Reasons.describe(f));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
