package dev.weft.reactor.spi;

import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import java.net.InetSocketAddress;

/**
 * The factory one member's share of a group port uses: it passes each call on to the user's factory while holding
 * that factory's monitor, so that a factory written for one reactor thread is called one call at a time by the
 * members' threads; the user's {@code doStart}/{@code doStop} run once per share, so {@code startFactory} runs with
 * the first share and {@code stopFactory} with the last. One instance per share: this factory's own count is used by
 * one member's thread only.
 *
 * <p>Once the share has stopped, {@code buildProtocol} returns null without calling the user's factory, so that a
 * connection accepted before the stop and taken over by another member after it (a group's one-acceptor port hands its
 * connections on) is closed instead of being built after {@code stopFactory}.
 */
final class ShareFactory extends Factory {

    private final Factory user;
    /** Whether this share's {@code stopFactory} ran; guarded by {@code user}'s monitor. */
    private boolean stopped;

    ShareFactory(Factory user) {
        this.user = user;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        synchronized (user) {
            return stopped ? null : user.buildProtocol(address);
        }
    }

    @Override
    protected void startFactory() {
        synchronized (user) {
            user.doStart();
        }
    }

    @Override
    protected void stopFactory() {
        synchronized (user) {
            stopped = true;
            user.doStop();
        }
    }

    @Override
    public String toString() {
        return user.toString();
    }
}
