/**
 * Twisted's protocol API: {@link dev.weft.protocol.Protocol} and its {@link dev.weft.protocol.Transport},
 * {@link dev.weft.protocol.Factory} and {@link dev.weft.protocol.ClientFactory} (with
 * {@link dev.weft.protocol.ReconnectingClientFactory}), producers and consumers for flow control, UDP's
 * {@link dev.weft.protocol.DatagramProtocol}, and the reasons a connection ends or fails.
 *
 * <p>Threading: every callback of every type here (protocol, factory, producer) runs on the reactor thread, one
 * at a time, and every method of a transport, port or connector must be called there. Nothing here is
 * thread-safe; from another thread, go through {@code Reactor.callFromThread}.
 */
package dev.weft.protocol;
