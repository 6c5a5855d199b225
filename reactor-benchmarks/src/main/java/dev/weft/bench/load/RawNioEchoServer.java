package dev.weft.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The raw java.nio baseline of the echo server, on the single-threaded {@link NioServer} loop: what a readiness
 * event reads goes into the connection's direct output buffer and is written back in one {@code write}.
 *
 * <p>{@code java ... RawNioEchoServer PORT}: prints {@code listening on PORT} and serves until killed.
 */
public final class RawNioEchoServer extends NioServer {

    RawNioEchoServer(int port) throws IOException {
        super(port);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RawNioEchoServer PORT");
            System.exit(2);
        }
        RawNioEchoServer server = new RawNioEchoServer(Ports.parse(args[0]));
        System.out.println("listening on " + server.port() + " (raw-nio-echo)");
        System.out.flush();
        server.run();
    }

    @Override
    Conn newConn(SocketChannel ch) {
        return new Conn(ch) {
            @Override
            void received(ByteBuffer data) {
                reserve(data.remaining()).put(data);
            }
        };
    }
}
