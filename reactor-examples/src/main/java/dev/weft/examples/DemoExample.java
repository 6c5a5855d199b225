package dev.weft.examples;

import dev.weft.protocol.ConnectionLost;
import dev.weft.reactor.Phase;
import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.Reactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;

/**
 * A small tour of the reactor on the configured backend: timers, {@code callFromThread} from a worker thread, and
 * a reader on a {@link Pipe}. It stops itself after about a second.
 */
final class DemoExample {

    private DemoExample() {
    }

    static int main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            return 2;
        }
        if (options.help) {
            System.out.println("usage: demo [--backend untwisted|netty]");
            System.out.println("Runs timers, callFromThread and a Pipe reader for about a second, then stops.");
            return 0;
        }
        Reactor reactor;
        try {
            reactor = options.createReactor();
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            return 2;
        }
        try {
            run(reactor);
        } catch (IOException e) {
            System.err.println("demo: " + e);
            return 1;
        }
        return 0;
    }

    static void run(Reactor reactor) throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        long start = System.nanoTime();
        reactor.callWhenRunning(() -> say(start, "reactor running on backend '" + reactor.backendName() + "'"));
        for (int i = 1; i <= 3; i++) {
            int n = i;
            reactor.callLater(0.25 * i, () -> say(start, "timer " + n + " fired"));
        }
        reactor.addReader(new PipeReader(pipe.source(), start));
        reactor.callInThread(() -> {
            String worker = Thread.currentThread().getName();
            reactor.callFromThread(() -> say(start, "callFromThread from " + worker + " ran on "
                    + Thread.currentThread().getName() + " (the reactor thread)"));
            try {
                pipe.sink().write(ByteBuffer.wrap("hello through a pipe".getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                reactor.callFromThread(() -> say(start, "pipe write failed: " + e));
            }
        });
        reactor.callLater(1.0, reactor::stop);
        reactor.addSystemEventTrigger(Phase.BEFORE, "shutdown", () -> say(start, "shutting down"));
        reactor.run();
        pipe.sink().close();
        say(start, "run() returned");
    }

    private static void say(long start, String what) {
        System.out.printf("[%6.3f s] %s%n", (System.nanoTime() - start) / 1e9, what);
    }

    private static final class PipeReader implements ReadDescriptor {
        private final Pipe.SourceChannel source;
        private final long start;
        private final ByteBuffer buf = ByteBuffer.allocate(1024);

        PipeReader(Pipe.SourceChannel source, long start) {
            this.source = source;
            this.start = start;
        }

        @Override
        public SelectableChannel channel() {
            return source;
        }

        @Override
        public void doRead() throws IOException {
            buf.clear();
            int n = source.read(buf);
            if (n > 0) {
                say(start, "reader got '" + new String(buf.array(), 0, n, StandardCharsets.UTF_8) + "'");
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
            say(start, "pipe reader: connectionLost(" + (reason instanceof ConnectionLost
                    ? reason.getMessage() : reason) + ")");
            try {
                source.close();
            } catch (IOException ignored) {
                // closing a pipe end on shutdown
            }
        }
    }
}
