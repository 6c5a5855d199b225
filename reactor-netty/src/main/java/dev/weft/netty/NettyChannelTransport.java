package dev.weft.netty;

import dev.weft.protocol.TLSTransport;
import io.netty.channel.Channel;

/**
 * The transport of a Weft TCP connection that runs on a Netty {@link Channel}: every connection of the Netty backend
 * ({@code listenTCP}, {@code connectTCP}, {@code listenSSL}, {@code connectSSL}) and every connection hosted by a
 * {@link ProtocolHandler} in a user's pipeline. A protocol reaches it by casting its {@code transport()}:
 *
 * <pre>{@code
 * Channel ch = ((NettyChannelTransport) transport()).channel();
 * }</pre>
 *
 * <p>Apart from {@link #channel()}, it behaves as any Weft transport: write, flow control, half-close, abort and the
 * reasons given to {@code connectionLost} follow {@link dev.weft.reactor.spi.StreamTransport}. Its
 * {@code getSession()} is that of Weft's own TLS ({@code startTLS}, {@code listenSSL}); with a Netty
 * {@code SslHandler} in the pipeline, ask the handler for its session.
 *
 * <p>Threads: as with every Weft transport, call its methods on the reactor thread, which is the channel's event
 * loop; {@link #channel()} may be called from any thread.
 */
public interface NettyChannelTransport extends TLSTransport {

    /**
     * The Netty channel under this connection: the child channel of a server, the channel of an outgoing connection,
     * or the channel whose pipeline holds the {@link ProtocolHandler}. For reading its attributes, addresses and
     * pipeline; writing to it, closing it or changing its {@code autoRead} behind the transport's back bypasses the
     * transport's ordering and flow control. May be called from any thread.
     *
     * @return the channel, never null
     */
    Channel channel();
}
