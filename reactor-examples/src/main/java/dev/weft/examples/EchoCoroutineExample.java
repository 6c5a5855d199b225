package dev.weft.examples;

import dev.weft.protocol.CannotListenException;
import dev.weft.protocol.ListeningPort;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorTCP;
import dev.weft.stream.StreamReader;
import dev.weft.stream.StreamWriter;
import dev.weft.stream.Streams;
import java.io.PrintStream;

/**
 * The echo server of {@link EchoExample}, written as a coroutine loop over the connection's streams instead of a
 * {@code dataReceived} callback (asyncio's {@code start_server} echo):
 *
 * <pre>
 * async def echo(reader, writer):
 *     while data := await reader.read(65536):
 *         writer.write(data)
 *         await writer.drain()
 *     writer.close()
 * </pre>
 */
final class EchoCoroutineExample {

    /** The example's name, as given to {@code weft-examples.jar}. */
    static final String NAME = "echo-coroutine";

    /** The most bytes one read returns. */
    static final int CHUNK = 64 * 1024;

    private EchoCoroutineExample() {
    }

    static int main(String[] args) {
        return NetSupport.runServer(NAME, args, usage(), EchoCoroutineExample::printHelp, EchoExample.DEFAULT_PORT,
                EchoCoroutineExample::start);
    }

    static String usage() {
        return NAME + " [--port N] [--host H] [--listen DESCRIPTION] [--backend untwisted|netty] [--help]";
    }

    static void printHelp(PrintStream out) {
        out.println("usage: " + usage());
        NetSupport.printParagraph(out,
                "An echo server written as a coroutine per connection: it reads what the client sends, writes it"
                + " back and waits for the write buffer to drain before it reads again (so a client that does not"
                + " read cannot make it buffer without bound), until the client closes; the same behaviour as the"
                + " 'echo' example, which is written with callbacks. It listens on --host (default 127.0.0.1) and"
                + " --port (default " + EchoExample.DEFAULT_PORT + "; 0 lets the system pick a free port), or on an"
                + " endpoint description given with --listen (e.g. unix:/tmp/echo.sock), prints the address it bound"
                + " and the backend in use (--backend, else the weft.reactor property or the WEFT_REACTOR variable,"
                + " else untwisted), and serves until Ctrl-C, when it prints '" + NAME + ": stopped'.");
    }

    /**
     * Listens, prints the line that says where, and prints {@code echo-coroutine: stopped} when the reactor shuts
     * down.
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the address to bind
     * @param port    the port, 0 for one the system picks
     * @param out     where to print
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort start(Reactor reactor, String host, int port, PrintStream out) {
        return NetSupport.announce(NAME, reactor, listen(reactor, host, port), out);
    }

    /**
     * Starts the echo server: one coroutine per connection, running {@link #echo}.
     *
     * @param reactor the reactor, not yet running or on its thread
     * @param host    the address to bind
     * @param port    the port, 0 for one the system picks
     * @return the bound port
     * @throws CannotListenException if the port cannot be bound
     */
    static ListeningPort listen(Reactor reactor, String host, int port) {
        return reactor.listenTCP(port, Streams.factory(EchoCoroutineExample::echo), ReactorTCP.DEFAULT_BACKLOG,
                host);
    }

    /**
     * Serves one connection: reads, writes back, waits for the drain, until the end of stream; then closes. Runs as
     * a coroutine on the reactor's behalf.
     *
     * @param reader what the client sends
     * @param writer where its echo goes
     * @throws Exception the connection's loss, if it was lost with an error (the stream server aborts it)
     */
    static void echo(StreamReader reader, StreamWriter writer) throws Exception {
        try (writer) {
            byte[] data = reader.read(CHUNK).await();
            while (data.length > 0) {
                writer.write(data);
                writer.drain().await();
                data = reader.read(CHUNK).await();
            }
        }
    }
}
