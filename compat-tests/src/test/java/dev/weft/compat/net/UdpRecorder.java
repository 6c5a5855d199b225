package dev.weft.compat.net;

import dev.weft.protocol.DatagramProtocol;
import dev.weft.protocol.DatagramTransport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A datagram protocol that records its life and every datagram, and pokes its {@link Net} after each event. */
public class UdpRecorder extends DatagramProtocol {
    private final Net net;
    private final String name;
    private final List<String> events = new ArrayList<>();
    private final List<byte[]> datagrams = new ArrayList<>();
    private final List<InetSocketAddress> senders = new ArrayList<>();
    private int starts;
    private int stops;
    private int refusals;
    private DatagramTransport transportAtStart;
    private BiConsumer<? super UdpRecorder, InetSocketAddress> onDatagram;

    /**
     * Creates a recorder.
     *
     * @param net  poked after each event
     * @param name for messages
     */
    public UdpRecorder(Net net, String name) {
        this.net = net;
        this.name = name;
    }

    /**
     * Runs {@code hook} with the sender after recording each datagram.
     *
     * @param hook the hook
     * @return this
     */
    public UdpRecorder onDatagram(BiConsumer<? super UdpRecorder, InetSocketAddress> hook) {
        this.onDatagram = hook;
        return this;
    }

    @Override
    public void startProtocol() {
        starts++;
        transportAtStart = transport;
        events.add("start");
        net.poke();
    }

    @Override
    public void stopProtocol() {
        stops++;
        events.add("stop");
        net.poke();
    }

    @Override
    public void datagramReceived(byte[] data, InetSocketAddress address) {
        datagrams.add(data);
        senders.add(address);
        events.add("datagram");
        if (onDatagram != null) {
            onDatagram.accept(this, address);
        }
        net.poke();
    }

    @Override
    public void connectionRefused() {
        refusals++;
        events.add("refused");
        net.poke();
    }

    /**
     * How many times {@code startProtocol} ran.
     *
     * @return the count
     */
    public int starts() {
        return starts;
    }

    /**
     * How many times {@code stopProtocol} ran.
     *
     * @return the count
     */
    public int stops() {
        return stops;
    }

    /**
     * How many times {@code connectionRefused} ran.
     *
     * @return the count
     */
    public int refusals() {
        return refusals;
    }

    /**
     * The transport field as {@code startProtocol} saw it.
     *
     * @return the transport, or null
     */
    public DatagramTransport transportAtStart() {
        return transportAtStart;
    }

    /**
     * The datagrams received, as US-ASCII text.
     *
     * @return the texts, in order
     */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        for (byte[] d : datagrams) {
            out.add(new String(d, StandardCharsets.US_ASCII));
        }
        return out;
    }

    /**
     * The sender of each datagram.
     *
     * @return the addresses, in order
     */
    public List<InetSocketAddress> senders() {
        return senders;
    }

    /**
     * Describes the state, for messages.
     *
     * @return the description
     */
    public String describe() {
        return name + ": events " + (events.size() > 30 ? events.subList(0, 30) + "..." : events)
                + ", datagrams " + (datagrams.size() > 10 ? datagrams.size() : texts()) + " from "
                + (senders.size() > 10 ? "..." : senders);
    }

    @Override
    public String toString() {
        return describe();
    }
}
