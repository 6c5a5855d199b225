package dev.weft.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The handler of a UDP port's events (Twisted's {@code DatagramProtocol}): subclass it and override the callbacks
 * you need; each default does nothing.
 *
 * <p>Life: {@code listenUDP} binds the port and calls {@link #makeConnection(DatagramTransport)}, which sets
 * {@link #transport} and calls {@link #doStart()}, which calls {@link #startProtocol()} if this protocol was on no
 * port yet; then {@link #datagramReceived(byte[], InetSocketAddress)} per datagram; when the port stops,
 * {@link #doStop()} calls {@link #stopProtocol()} when it was the last port. Every callback runs on the reactor
 * thread; an exception thrown by {@code datagramReceived} is logged and the port goes on.
 */
public abstract class DatagramProtocol {

    /** The port, set by {@link #makeConnection(DatagramTransport)}; null before that and after the port stops. */
    protected DatagramTransport transport;

    private int numPorts;

    /** Creates a protocol with no transport. */
    protected DatagramProtocol() {
    }

    /**
     * Attaches this protocol to its port: sets {@link #transport}, then calls {@link #doStart()}. Called once per
     * port, on the reactor thread, by the backend.
     *
     * @param transport the port
     * @throws NullPointerException if {@code transport} is null
     */
    public void makeConnection(DatagramTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport must not be null");
        doStart();
    }

    /**
     * Called by the backend, on the reactor thread, when a port starts using this protocol; calls
     * {@link #startProtocol()} for the first port.
     */
    public final void doStart() {
        if (numPorts == 0) {
            startProtocol();
        }
        numPorts++;
    }

    /**
     * Called by the backend, on the reactor thread, when a port stops using this protocol; calls
     * {@link #stopProtocol()} and clears {@link #transport} for the last port. Unmatched calls do nothing.
     */
    public final void doStop() {
        if (numPorts == 0) {
            return;
        }
        numPorts--;
        if (numPorts == 0) {
            stopProtocol();
            transport = null;
        }
    }

    /**
     * Called once, on the reactor thread, when the protocol starts listening (its first port is bound and
     * {@link #transport} is set). Does nothing by default.
     */
    public void startProtocol() {
    }

    /**
     * Called once, on the reactor thread, when the protocol's last port has stopped. Does nothing by default.
     */
    public void stopProtocol() {
    }

    /**
     * Called on the reactor thread for each datagram received (in connected mode, only those from the connected
     * peer). Does nothing by default.
     *
     * @param data    the datagram; the protocol owns the array
     * @param address the sender
     */
    public void datagramReceived(byte[] data, InetSocketAddress address) {
    }

    /**
     * Called on the reactor thread, in connected mode, when the peer refused a datagram (ICMP port unreachable).
     * Does nothing by default.
     */
    public void connectionRefused() {
    }

    /**
     * The port this protocol is on.
     *
     * @return the transport, or null when not listening
     */
    public final DatagramTransport transport() {
        return transport;
    }
}
