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
 */
final class ShareFactory extends Factory {

    private final Factory user;

    ShareFactory(Factory user) {
        this.user = user;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
        synchronized (user) {
            return user.buildProtocol(address);
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
            user.doStop();
        }
    }

    @Override
    public String toString() {
        return user.toString();
    }
}
