package dev.weft.bench.jmh;

import dev.weft.netty.NettyReactor;
import dev.weft.reactor.ReadDescriptor;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.ReactorConfig;
import dev.weft.untwisted.UntwistedReactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Readiness to callback through {@code addReader}, sampled: the JMH thread writes one byte into a
 * {@link java.nio.channels.Pipe} whose source end a reactor watches, and waits until the reader's {@code doRead},
 * on the reactor thread, has read it. The reactor waits for I/O between round trips, so each one includes waking it.
 * On {@code netty-nio} and {@code untwisted} the loop's own selector watches the pipe; on {@code netty-epoll} and
 * {@code netty-io_uring} a JDK selector on a helper thread wakes the native loop, which then selects the pipe: the
 * difference is what that helper costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dweft.blocked.threshold.ms=1000")
public class DescriptorReadinessBenchmark {

    /** The reactor that watches the pipe. */
    @Param({"untwisted", "netty-nio", "netty-epoll", "netty-io_uring"})
    public String target;

    private Reactor reactor;
    private Thread loop;
    private Pipe pipe;
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);
    private volatile CompletableFuture<Boolean> read;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchSupport.quietLogging();
        ReactorConfig config = ReactorConfig.fromEnvironment();
        reactor = target.equals("untwisted") ? new UntwistedReactor(config)
                : NettyReactor.create(config, target.substring("netty-".length()));
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CountDownLatch watching = new CountDownLatch(1);
        Reader reader = new Reader(pipe.source());
        reactor.callWhenRunning(() -> {
            reactor.addReader(reader);
            watching.countDown();
        });
        loop = new Thread(reactor::run, "bench-reactor-" + target);
        loop.start();
        if (!watching.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(target + " did not start within 10 s");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        reactor.callFromThread(reactor::stop);
        loop.join(10_000);
        pipe.sink().close();
        pipe.source().close();
    }

    /** One byte written, then read by the reactor's reader. */
    @Benchmark
    public Object pipeWriteToDoRead() throws IOException {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        read = f;
        one.clear();
        pipe.sink().write(one);
        return f.join();
    }

    /** Drains the pipe and completes the round trip's future. */
    private final class Reader implements ReadDescriptor {
        private final Pipe.SourceChannel source;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(64);

        Reader(Pipe.SourceChannel source) {
            this.source = source;
        }

        @Override
        public SelectableChannel channel() {
            return source;
        }

        @Override
        public void doRead() {
            buf.clear();
            try {
                if (source.read(buf) > 0) {
                    read.complete(Boolean.TRUE);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void connectionLost(Throwable reason) {
        }
    }
}
