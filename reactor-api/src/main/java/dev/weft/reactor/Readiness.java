package dev.weft.reactor;

import dev.weft.defer.Deferred;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * One-shot readiness as Deferreds (Tulip's {@code block_r}/{@code block_w}, PEAK's {@code Readable}/{@code Writable}
 * event sources): a Deferred that fires once, when a channel becomes readable or writable, built on
 * {@link ReactorFDSet#addReader}/{@link ReactorFDSet#addWriter}.
 *
 * <p>The watch is one-shot: the descriptor is removed before the Deferred fires, so code that reads part of what is
 * ready asks again. Cancelling the Deferred (also through {@link Deferred#addTimeout}) removes the watch. If the
 * reactor stops watching for a reason of its own (shutdown), the Deferred fails with that reason. At most one
 * readiness watch per channel and direction at a time (a backend watches a channel once per direction).
 *
 * <p>Call on the reactor thread, or from a coroutine body running on its behalf
 * ({@code Readiness.readable(reactor, channel).await()}); the Deferred fires on the reactor thread. Works on every
 * backend that supports {@code addReader}/{@code addWriter}.
 */
public final class Readiness {

    private Readiness() {
    }

    /**
     * A Deferred that fires with {@code channel} once it is readable (or at end of stream, or in error: a read will
     * not block).
     *
     * @param fds     the reactor (its descriptor set)
     * @param channel a channel in non-blocking mode
     * @param <C>     the channel's type
     * @return the Deferred; cancel it to stop watching
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code channel} is in blocking mode
     */
    public static <C extends SelectableChannel> Deferred<C> readable(ReactorFDSet fds, C channel) {
        Objects.requireNonNull(fds, "fds must not be null");
        check(channel);
        Watch<C> watch = new Watch<>(channel, "readable");
        Deferred<C> d = new Deferred<>(x -> fds.removeReader(watch.reader));
        watch.deferred = d;
        watch.reader = new ReadDescriptor() {
            @Override
            public void doRead() {
                fds.removeReader(this);
                watch.fire();
            }

            @Override
            public SelectableChannel channel() {
                return channel;
            }

            @Override
            public void connectionLost(Throwable reason) {
                watch.fail(reason);
            }

            @Override
            public String logPrefix() {
                return watch.toString();
            }
        };
        fds.addReader(watch.reader);
        return d;
    }

    /**
     * A Deferred that fires with {@code channel} once it is writable (a write will not block), or, for a
     * {@link java.nio.channels.SocketChannel} being connected, once the connection is made or has failed.
     *
     * @param fds     the reactor (its descriptor set)
     * @param channel a channel in non-blocking mode
     * @param <C>     the channel's type
     * @return the Deferred; cancel it to stop watching
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code channel} is in blocking mode
     */
    public static <C extends SelectableChannel> Deferred<C> writable(ReactorFDSet fds, C channel) {
        Objects.requireNonNull(fds, "fds must not be null");
        check(channel);
        Watch<C> watch = new Watch<>(channel, "writable");
        Deferred<C> d = new Deferred<>(x -> fds.removeWriter(watch.writer));
        watch.deferred = d;
        watch.writer = new WriteDescriptor() {
            @Override
            public void doWrite() {
                fds.removeWriter(this);
                watch.fire();
            }

            @Override
            public SelectableChannel channel() {
                return channel;
            }

            @Override
            public void connectionLost(Throwable reason) {
                watch.fail(reason);
            }

            @Override
            public String logPrefix() {
                return watch.toString();
            }
        };
        fds.addWriter(watch.writer);
        return d;
    }

    private static void check(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel must not be null");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("channel must be in non-blocking mode "
                    + "(channel.configureBlocking(false)): " + channel);
        }
    }

    /** One watch: its descriptor and its Deferred, fired once. */
    private static final class Watch<C extends SelectableChannel> {
        private final C channel;
        private final String what;
        Deferred<C> deferred;
        ReadDescriptor reader;
        WriteDescriptor writer;

        Watch(C channel, String what) {
            this.channel = channel;
            this.what = what;
        }

        void fire() {
            if (!deferred.isCalled()) {
                deferred.callback(channel);
            }
        }

        void fail(Throwable reason) {
            if (!deferred.isCalled()) {
                deferred.errback(reason);
            }
        }

        @Override
        public String toString() {
            return "Readiness." + what + "(" + channel + ")";
        }
    }
}
