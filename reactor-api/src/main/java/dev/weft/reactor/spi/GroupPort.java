package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.protocol.ListeningPort;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A port served by a whole {@link MemberGroup}: one share (a listening port of its own) per member, index for
 * index, all bound to one address. {@link #getHost()} is any thread's; {@link #stopListening()} may be called from
 * any thread, stops each share on its own member, and fires its Deferred on the caller's thread.
 */
final class GroupPort implements ListeningPort {

    private final MemberGroup group;
    private final List<ListeningPort> shares;
    private final InetSocketAddress host;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** How long {@link #stopListening()} waits, from outside a running group, for the members to close. */
    static final long WAIT_SECONDS = 10;

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
     * Closes every member's share, each on its member's thread. Connections queued on a share's socket and not
     * accepted yet when it closes are reset by the kernel (a property of {@code SO_REUSEPORT}).
     *
     * <p>The returned Deferred is the caller's, and fires on the caller's thread, as a Deferred must (it is not
     * thread-safe): called on a member's thread, it fires there (through that member's {@code callFromThread}) once
     * every share is closed; called from another thread while the group runs, this waits (at most
     * {@value #WAIT_SECONDS} s) until every share is closed and returns a Deferred that has fired; before the group
     * runs or after it ended, the shares close on the calling thread. A member that stopped on its own while the
     * group runs closed its share as it shut down, and counts as closed; if the calling member stops before the
     * Deferred fires, it fires on that member's thread once its {@code run()} returned.
     *
     * @return a Deferred that fires once every share is closed (failed with the exception of the factory's
     *         {@code stopFactory}, if it threw); a second call returns one that has fired
     * @throws IllegalStateException if called from outside the group while it runs, and the shares did not close in
     *                               time
     */
    @Override
    public Deferred<Void> stopListening() {
        if (!stopping.compareAndSet(false, true)) {
            return Deferred.succeed(null);
        }
        int caller = group.memberOfCallingThread();
        if (caller < 0 && !group.membersIdle()) {
            return stopAndWait();
        }
        Deferred<Void> result = new Deferred<>();
        stopShares((failure) -> {
            Runnable fire = () -> {
                if (failure != null) {
                    result.errback(failure);
                } else {
                    result.callback(null);
                }
            };
            if (caller < 0) {
                fire.run(); // the group is idle: the shares closed on this thread
            } else {
                // The caller's member may have stopped on its own meanwhile: the Deferred fires all the same.
                group.onMember(caller, fire, fire);
            }
        });
        return result;
    }

    /** From a thread outside the running group: closes every share and waits for it. */
    private Deferred<Void> stopAndWait() {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        stopShares(f -> done.complete(f));
        Throwable failure;
        try {
            failure = done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("stopListening: the members did not close their sockets of " + host
                    + " within " + WAIT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the members to close " + host, e);
        }
        return failure == null ? Deferred.succeed(null) : Deferred.fail(failure);
    }

    /**
     * Stops every share on its member; {@code done} gets the first failure (or null) once every share is closed or
     * its member is gone (a member that stopped on its own closed its share as it shut down).
     */
    private void stopShares(java.util.function.Consumer<Throwable> done) {
        AtomicInteger remaining = new AtomicInteger(shares.size());
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        java.util.function.Consumer<Throwable> shareDone = failure -> {
            if (failure != null) {
                firstFailure.compareAndSet(null, failure);
            }
            if (remaining.decrementAndGet() == 0) {
                done.accept(firstFailure.get());
            }
        };
        for (int i = 0; i < shares.size(); i++) {
            ListeningPort share = shares.get(i);
            group.onMember(i, () -> share.stopListening().addBoth((r, failure) -> {
                shareDone.accept(failure);
                return null;
            }), () -> shareDone.accept(null));
        }
    }

    @Override
    public String toString() {
        return "GroupPort[" + host + ", " + shares.size() + " shares]";
    }
}
