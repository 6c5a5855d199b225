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
        return watch(fds, channel, Direction.READABLE);
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
        return watch(fds, channel, Direction.WRITABLE);
    }

    private static <C extends SelectableChannel> Deferred<C> watch(ReactorFDSet fds, C channel, Direction direction) {
        Objects.requireNonNull(fds, "fds must not be null");
        check(channel);
        Watch<C> watch = new Watch<>(fds, channel, direction);
        direction.add(fds, watch);
        return watch.deferred;
    }

    private static void check(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel must not be null");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("channel must be in non-blocking mode "
                    + "(channel.configureBlocking(false)): " + channel);
        }
    }

    /** Which readiness a watch waits for, and how it is added to and removed from a descriptor set. */
    private enum Direction {
        READABLE {
            @Override
            void add(ReactorFDSet fds, Watch<?> watch) {
                fds.addReader(watch);
            }

            @Override
            void remove(ReactorFDSet fds, Watch<?> watch) {
                fds.removeReader(watch);
            }
        },
        WRITABLE {
            @Override
            void add(ReactorFDSet fds, Watch<?> watch) {
                fds.addWriter(watch);
            }

            @Override
            void remove(ReactorFDSet fds, Watch<?> watch) {
                fds.removeWriter(watch);
            }
        };

        abstract void add(ReactorFDSet fds, Watch<?> watch);

        abstract void remove(ReactorFDSet fds, Watch<?> watch);
    }

    /**
     * One watch: the descriptor added in one direction only (its {@code doRead} or {@code doWrite}, whichever the
     * direction calls) and its Deferred, fired once.
     */
    private static final class Watch<C extends SelectableChannel> implements ReadDescriptor, WriteDescriptor {
        private final ReactorFDSet fds;
        private final C channel;
        private final Direction direction;
        final Deferred<C> deferred;

        Watch(ReactorFDSet fds, C channel, Direction direction) {
            this.fds = fds;
            this.channel = channel;
            this.direction = direction;
            this.deferred = new Deferred<>(d -> direction.remove(fds, this));
        }

        @Override
        public void doRead() {
            ready();
        }

        @Override
        public void doWrite() {
            ready();
        }

        private void ready() {
            direction.remove(fds, this);
            if (!deferred.isCalled()) {
                deferred.callback(channel);
            }
        }

        @Override
        public SelectableChannel channel() {
            return channel;
        }

        @Override
        public void connectionLost(Throwable reason) {
            if (!deferred.isCalled()) {
                deferred.errback(reason);
            }
        }

        @Override
        public String logPrefix() {
            return toString();
        }

        @Override
        public String toString() {
            return "Readiness." + direction.name().toLowerCase(java.util.Locale.ROOT) + "(" + channel + ")";
        }
    }
}
