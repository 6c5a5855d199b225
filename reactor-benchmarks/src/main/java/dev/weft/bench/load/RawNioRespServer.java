package dev.weft.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The raw java.nio baseline of the RESP server: the commands of the Weft {@code resp} example on a hand-written
 * single-threaded {@link java.nio.channels.Selector} loop ({@link NioServer}), no Weft and no Netty code.
 *
 * <p>Each read is parsed where it lies, in the shared direct read buffer; only the bytes of an incomplete command
 * are copied, into the connection's own buffer, to be parsed with the next read. The replies of a readiness event
 * are encoded into the connection's direct output buffer and written once.
 *
 * <p>{@code java ... RawNioRespServer PORT}: prints {@code listening on PORT} and serves until killed.
 */
public final class RawNioRespServer extends NioServer {

    private final RawStore store = new RawStore();

    RawNioRespServer(int port) throws IOException {
        super(port);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RawNioRespServer PORT");
            System.exit(2);
        }
        RawNioRespServer server = new RawNioRespServer(Ports.parse(args[0]));
        System.out.println("listening on " + server.port() + " (raw-nio-resp)");
        System.out.flush();
        server.run();
    }

    @Override
    Conn newConn(SocketChannel ch) {
        return new RespConn(ch);
    }

    private final class RespConn extends Conn implements NioRespParser.Handler {
        private final NioRespParser parser = new NioRespParser();
        private final ReplyWriter writer = new ReplyWriter() {
            @Override
            void put(byte b) {
                reserve(1).put(b);
            }

            @Override
            void put(byte[] b, int off, int len) {
                reserve(len).put(b, off, len);
            }
        };
        /** An incomplete command carried over to the next read, in write mode; null when there is none. */
        private ByteBuffer pending;

        RespConn(SocketChannel ch) {
            super(ch);
        }

        @Override
        void received(ByteBuffer data) {
            ByteBuffer src = data;
            if (pending != null) {
                if (pending.remaining() < data.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(
                            Math.max(pending.capacity() * 2, pending.position() + data.remaining()));
                    pending.flip();
                    bigger.put(pending);
                    pending = bigger;
                }
                pending.put(data);
                pending.flip();
                src = pending;
            }
            try {
                if (!parser.parse(src, this)) {
                    closeAfterWrite = true;
                }
            } catch (NioRespParser.Malformed e) {
                writer.error(e.getMessage());
                closeAfterWrite = true;
            }
            if (closeAfterWrite || !src.hasRemaining()) {
                pending = null;
            } else if (src == pending) {
                pending.compact();
            } else {
                pending = ByteBuffer.allocate(Math.max(1024, src.remaining() * 2));
                pending.put(src);
            }
        }

        @Override
        public boolean command(byte[][] argv, int argc) {
            return RawRespCommands.execute(store, argv, argc, writer);
        }
    }
}
