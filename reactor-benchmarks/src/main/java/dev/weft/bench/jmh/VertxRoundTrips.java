package dev.weft.bench.jmh;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Round trips of Vert.x 5's {@code Future.await()} in a virtual-thread verticle ({@link ThreadingModel#VIRTUAL_THREAD}):
 * inside the verticle's context, a loop creates a {@link Promise}, has it completed from a task of the event loop
 * (see {@link Completer}), and {@code Future.await}s its future. Virtual threads need JDK 21+; on an older JDK
 * {@link #open} refuses with {@link UnsupportedOperationException}.
 */
final class VertxRoundTrips implements RoundTrips {

    /** Who completes the promise the verticle awaits. */
    enum Completer {
        /**
         * A task queued on the verticle's own context with {@code context.runOnContext}: Vert.x's way to run
         * something later on "my loop", the analogue of Weft's {@code callLater(0)} (a DelayedCall on the reactor
         * that the body runs for). On a virtual-thread context the task runs on a virtual thread of the context
         * once the awaiting one has suspended.
         */
        CONTEXT("vertx-context"),
        /**
         * A task on the Netty event loop under the context ({@code ContextInternal.nettyEventLoop().execute}): where
         * I/O completions come from in Vert.x.
         */
        EVENT_LOOP("vertx-eventloop");

        private final String target;

        Completer(String target) {
            this.target = target;
        }

        String target() {
            return target;
        }

        static Completer ofTarget(String target) {
            for (Completer c : values()) {
                if (c.target.equals(target)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown target " + target + "; known: " + RoundTrips.WEFT_TARGETS
                    + ", " + HandOffRoundTrips.TARGET + ", " + JdkPingPong.TARGET + " and " + Arrays.stream(values()).map(Completer::target).toList());
        }
    }

    private final Completer completer;
    private final Vertx vertx;
    private final Context context;
    private final EventLoop eventLoop;

    private VertxRoundTrips(Completer completer, Vertx vertx, Context context) {
        this.completer = completer;
        this.vertx = vertx;
        this.context = context;
        this.eventLoop = ((ContextInternal) context).nettyEventLoop();
    }

    /**
     * Whether this JVM has virtual threads (JDK 21+), which Vert.x's virtual-thread verticles need.
     *
     * @return true on JDK 21 or later
     */
    static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * Starts Vert.x and deploys one virtual-thread verticle.
     *
     * @param completer who completes the promises
     * @return the round trips
     * @throws UnsupportedOperationException on a JDK without virtual threads
     */
    static VertxRoundTrips open(Completer completer) {
        if (!virtualThreadsAvailable()) {
            throw new UnsupportedOperationException("not applicable: Vert.x virtual-thread verticles need JDK 21+,"
                    + " this JVM is " + Runtime.version());
        }
        BenchSupport.quietLogging();
        Vertx vertx = Vertx.vertx();
        CompletableFuture<Context> started = new CompletableFuture<>();
        VerticleBase verticle = new VerticleBase() {
            @Override
            public Future<?> start() {
                started.complete(context);
                return Future.succeededFuture();
            }
        };
        try {
            BenchSupport.join(vertx.deployVerticle(verticle,
                    new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD))
                    .toCompletionStage().toCompletableFuture(), "the verticle to deploy");
            return new VertxRoundTrips(completer, vertx, BenchSupport.join(started, "the verticle to start"));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    @Override
    public int run(int n) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Consumer<Promise<Void>> complete = completer == Completer.CONTEXT
                ? p -> context.runOnContext(v -> p.complete())
                : p -> eventLoop.execute(p::complete);
        context.runOnContext(v -> {
            try {
                int count = 0;
                for (int i = 0; i < n; i++) {
                    Promise<Void> p = Promise.promise();
                    complete.accept(p);
                    Future.await(p.future());
                    count++;
                }
                done.complete(count);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return BenchSupport.join(done, n + " Vert.x round trips (" + completer.target() + ")");
    }

    @Override
    public void close() {
        BenchSupport.join(vertx.close().toCompletionStage().toCompletableFuture(), "Vert.x to close");
    }

    @Override
    public String toString() {
        return completer.target();
    }
}
