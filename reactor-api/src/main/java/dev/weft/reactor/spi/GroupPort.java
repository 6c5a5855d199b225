package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ListeningPort;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A port served by a whole {@link MemberGroup}: one share (a listening port of its own) per member, index for
 * index, all bound to one address. {@link #getHost()} is any thread's; {@link #stopListening()} may be called from
 * any thread, stops each share on its own member, and fires its Deferred on member 0's thread once every share is
 * closed.
 */
final class GroupPort implements ListeningPort {

    private final MemberGroup group;
    private final List<ListeningPort> shares;
    private final InetSocketAddress host;
    private final AtomicBoolean stopping = new AtomicBoolean();

    GroupPort(MemberGroup group, List<ListeningPort> shares) {
        this.group = group;
        this.shares = List.copyOf(shares);
        this.host = shares.get(0).getHost();
    }

    /**
     * The address every share is bound to. Any thread.
     *
     * @return the bound address
     */
    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    /**
     * Closes every member's share, each on its member's thread. Any thread. Connections queued on a share's socket
     * and not accepted yet when it closes are reset by the kernel (a property of {@code SO_REUSEPORT}).
     *
     * @return a Deferred that fires on member 0's thread once every share is closed (failed with the exception of
     *         the factory's {@code stopFactory}, if it threw); a second call returns one that has fired
     */
    @Override
    public Deferred<Void> stopListening() {
        if (!stopping.compareAndSet(false, true)) {
            return Deferred.succeed(null);
        }
        Deferred<Void> result = new Deferred<>();
        AtomicInteger remaining = new AtomicInteger(shares.size());
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        for (int i = 0; i < shares.size(); i++) {
            ListeningPort share = shares.get(i);
            group.onMember(i, () -> share.stopListening().addBoth((r, failure) -> {
                if (failure != null) {
                    firstFailure.compareAndSet(null, failure);
                }
                if (remaining.decrementAndGet() == 0) {
                    group.onMember(0, () -> {
                        Throwable f = firstFailure.get();
                        if (f != null) {
                            result.errback(f);
                        } else {
                            result.callback(null);
                        }
                    });
                }
                return null;
            }));
        }
        return result;
    }

    @Override
    public String toString() {
        return "GroupPort[" + host + ", " + shares.size() + " shares]";
    }
}
