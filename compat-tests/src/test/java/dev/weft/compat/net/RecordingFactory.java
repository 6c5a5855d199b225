package dev.weft.compat.net;

import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A server factory that records its life ({@code startFactory}, {@code stopFactory}, each {@code buildProtocol}
 * and the address it got) and the protocols it built. {@link #echo(Net)} is the echo server of the networking
 * tests.
 */
public class RecordingFactory extends Factory {
    private final Net net;
    private final IntFunction<? extends Protocol> make;
    private final List<Protocol> protocols = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private int builds;
    private int starts;
    private int stops;

    /**
     * Creates a factory.
     *
     * @param net  poked after each event (may be null)
     * @param make makes the protocol of the n-th connection (0 first); may return null to reject it
     */
    public RecordingFactory(Net net, IntFunction<? extends Protocol> make) {
        this.net = net;
        this.make = make;
    }

    /**
     * An echo server: each connection gets a {@link Recorder} named {@code "server #n"} that writes back what it
     * receives.
     *
     * @param net the Net
     * @return the factory
     */
    public static RecordingFactory echo(Net net) {
        return new RecordingFactory(net, i -> new Recorder(net, "server #" + i).echo());
    }

    /**
     * A server whose connections each get a plain {@link Recorder} named {@code "server #n"}.
     *
     * @param net the Net
     * @return the factory
     */
    public static RecordingFactory recorders(Net net) {
        return new RecordingFactory(net, i -> new Recorder(net, "server #" + i));
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        int index = builds++;
        addresses.add(address);
        events.add("buildProtocol");
        Protocol p = make.apply(index);
        if (p != null) {
            p.setFactory(this);
            protocols.add(p);
        }
        poke();
        return p;
    }

    @Override
    protected void startFactory() {
        starts++;
        events.add("startFactory");
        poke();
    }

    @Override
    protected void stopFactory() {
        stops++;
        events.add("stopFactory");
        poke();
    }

    private void poke() {
        if (net != null) {
            net.poke();
        }
    }

    /**
     * How many times {@code buildProtocol} ran.
     *
     * @return the count
     */
    public int builds() {
        return builds;
    }

    /**
     * How many times {@code startFactory} ran.
     *
     * @return the count
     */
    public int starts() {
        return starts;
    }

    /**
     * How many times {@code stopFactory} ran.
     *
     * @return the count
     */
    public int stops() {
        return stops;
    }

    /**
     * The addresses given to {@code buildProtocol}.
     *
     * @return the addresses, in order
     */
    public List<InetSocketAddress> addresses() {
        return Collections.unmodifiableList(addresses);
    }

    /**
     * The protocols built (not the nulls).
     *
     * @return the protocols, in order
     */
    public List<Protocol> protocols() {
        return Collections.unmodifiableList(protocols);
    }

    /**
     * The n-th protocol built, as a recorder.
     *
     * @param n the index, 0 first
     * @param <P> the recorder type
     * @return the protocol
     */
    @SuppressWarnings("unchecked")
    public <P extends Recorder> P server(int n) {
        return (P) protocols.get(n);
    }

    /**
     * Whether the n-th protocol was built and its {@code connectionMade} ran.
     *
     * @param n the index
     * @return whether it is connected (or was)
     */
    public boolean made(int n) {
        return protocols.size() > n && ((Recorder) protocols.get(n)).madeCount() > 0;
    }

    /**
     * Whether the n-th protocol was built and its {@code connectionLost} ran.
     *
     * @param n the index
     * @return whether it was lost
     */
    public boolean lost(int n) {
        return protocols.size() > n && ((Recorder) protocols.get(n)).isLost();
    }

    /**
     * Describes the state, for messages.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder b = new StringBuilder("server factory: ").append(events.size() > 20
                ? "[" + events.size() + " events]" : events.toString());
        int shown = 0;
        for (Protocol p : protocols) {
            if (shown++ == 5) {
                b.append("; ...");
                break;
            }
            b.append("; ").append(p);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "RecordingFactory(" + builds + " built)";
    }
}
