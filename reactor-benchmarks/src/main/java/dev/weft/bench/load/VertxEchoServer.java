package dev.weft.bench.load;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Vert.x 5 peer of the Weft echo servers: a {@link NetServer} in one verticle, on a Vert.x instance with one
 * event loop thread (as a Weft reactor has), in one of two threading models:
 *
 * <ul>
 *   <li>{@code event-loop}: a standard verticle; each buffer read is written back from the socket's handler, and
 *       while the write queue is full the socket is paused until its drain handler runs (what {@code pipeTo} does,
 *       without its per-buffer future), the peer of the Weft callback echo server.
 *   <li>{@code virtual-thread}: a virtual-thread verticle ({@link ThreadingModel#VIRTUAL_THREAD}, JDK 21+): each
 *       connection is served by a straight-line loop over {@code socket.blockingStream()}, which writes each buffer
 *       back and, when the write queue is full, awaits the drain ({@code Future.await}), the peer of the Weft
 *       coroutine echo server.
 * </ul>
 *
 * <p>{@code java ... VertxEchoServer PORT [event-loop|virtual-thread]}: prints {@code listening on PORT} and serves
 * until killed. On a JDK older than 21 the virtual-thread model exits with status 2 and the reason.
 */
public final class VertxEchoServer {

    /** How long starting Vert.x and binding may take. */
    private static final long START_TIMEOUT_SECONDS = 10;

    /** The verticle's threading model, as named on the command line. */
    enum Model {
        /** A standard event-loop verticle, callback style. */
        EVENT_LOOP("event-loop"),
        /** A virtual-thread verticle, straight-line style. */
        VIRTUAL_THREAD("virtual-thread");

        private final String argument;

        Model(String argument) {
            this.argument = argument;
        }

        String argument() {
            return argument;
        }

        /**
         * The model named {@code name}.
         *
         * @param name {@code event-loop} or {@code virtual-thread}; null for event-loop
         * @return the model
         * @throws IllegalArgumentException for another name
         */
        static Model of(String name) {
            if (name == null) {
                return EVENT_LOOP;
            }
            for (Model m : values()) {
                if (m.argument.equals(name.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("model must be event-loop or virtual-thread, got '" + name + "'");
        }

        /**
         * Why this model cannot run on this JVM, or null when it can.
         *
         * @return the reason, or null
         */
        String unavailable() {
            if (this == VIRTUAL_THREAD && Runtime.version().feature() < 21) {
                return "JDK 21+ needed";
            }
            return null;
        }
    }

    private VertxEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: VertxEchoServer PORT [event-loop|virtual-thread]");
            System.exit(2);
        }
        int port = Ports.parse(args[0]);
        Model model = Model.of(args.length > 1 ? args[1] : null);
        String why = model.unavailable();
        if (why != null) {
            System.err.println("VertxEchoServer: " + why);
            System.exit(2);
        }
        NettyServers.quietLogging();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the process is ending anyway
            }
        }, "vertx-echo-shutdown"));
        int bound = start(vertx, port, model);
        System.out.println("listening on " + bound + " (vertx-echo, " + model.argument() + " verticle)");
        System.out.flush();
    }

    /**
     * Deploys the echo verticle on {@code vertx} and waits until it listens on 127.0.0.1.
     *
     * @param vertx the Vert.x instance
     * @param port  the port, 0 for any
     * @param model the verticle's threading model
     * @return the port bound
     * @throws Exception if it cannot deploy or bind within {@value #START_TIMEOUT_SECONDS} s
     */
    static int start(Vertx vertx, int port, Model model) throws Exception {
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        VerticleBase verticle = new VerticleBase() {
            @Override
            public Future<?> start() {
                NetServer server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)
                        .setAcceptBacklog(511));
                server.connectHandler(model == Model.EVENT_LOOP ? VertxEchoServer::callbacks
                        : VertxEchoServer::straightLine);
                return server.listen(port, "127.0.0.1").onSuccess(s -> bound.complete(s.actualPort()));
            }
        };
        DeploymentOptions options = new DeploymentOptions().setThreadingModel(
                model == Model.EVENT_LOOP ? ThreadingModel.EVENT_LOOP : ThreadingModel.VIRTUAL_THREAD);
        vertx.deployVerticle(verticle, options).onFailure(bound::completeExceptionally);
        return bound.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Callback style: write back from the handler; pause while the write queue is full. */
    private static void callbacks(NetSocket socket) {
        socket.drainHandler(v -> socket.resume());
        socket.handler(buffer -> {
            socket.write(buffer);
            if (socket.writeQueueFull()) {
                socket.pause();
            }
        });
        socket.exceptionHandler(e -> socket.close());
    }

    /**
     * Straight-line style, on the connection's virtual thread: read, write back, await the drain when full. The drain
     * handler is set once, before the first write (as {@code pipeTo} does): set only once the queue is full, it
     * could miss a drain that came in between, and the loop would wait for ever.
     */
    private static void straightLine(NetSocket socket) {
        Promise<?>[] waiting = {null};
        socket.drainHandler(v -> {
            if (waiting[0] != null) {
                waiting[0].tryComplete();
            }
        });
        socket.exceptionHandler(e -> socket.close());
        Iterator<Buffer> in = socket.blockingStream().iterator();
        while (in.hasNext()) {
            socket.write(in.next());
            if (socket.writeQueueFull()) {
                Promise<Void> drained = Promise.promise();
                waiting[0] = drained;
                Future.await(drained.future());
                waiting[0] = null;
            }
        }
        socket.end();
    }
}
