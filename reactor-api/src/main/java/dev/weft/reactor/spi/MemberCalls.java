package dev.weft.reactor.spi;

import dev.weft.reactor.Reactor;
import dev.weft.reactor.internal.Loggers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The calls a {@link MemberGroup} hands to one of its members while the group runs, each with what to do instead if
 * the member is gone: a member may stop on its own (its {@code stop()}, a failure) while the others run on, and a
 * call that its {@code callFromThread} queues after its last pass would never run. Each call runs exactly once: on
 * the member's thread, or, once the member's {@code run()} has returned ({@link #ended()}), its fallback, on the
 * thread that learns it (the member's own thread, right after {@code run()} returned, or the thread that makes the
 * call later).
 *
 * <p>Thread-safe.
 */
final class MemberCalls {

    private static final Logger LOG = Loggers.get("dev.weft.reactor");

    /** Whether the member can still run calls. */
    private enum Presence {
        /** Its {@code run()} has not returned: a call queued now may run. */
        PRESENT,
        /** Its {@code run()} returned: no call queued on it runs any more. */
        GONE
    }

    /** One call: what runs on the member, and what runs if it is gone first (compared by identity). */
    private static final class Call {
        final Runnable onMember;
        final Runnable ifGone;

        Call(Runnable onMember, Runnable ifGone) {
            this.onMember = onMember;
            this.ifGone = ifGone;
        }
    }

    private final Reactor member;
    private final Object lock = new Object();
    private Presence presence = Presence.PRESENT; // guarded by lock
    /** The calls queued on the member that have not run yet; guarded by lock. */
    private final Set<Call> pending = new LinkedHashSet<>();

    /**
     * @param member the member whose calls these are
     */
    MemberCalls(Reactor member) {
        this.member = Objects.requireNonNull(member, "member must not be null");
    }

    /**
     * Runs {@code onMember} on the member's thread (through its {@code callFromThread}), or {@code ifGone} if the
     * member's {@code run()} returns before it ran it (at once when it has returned already). Any thread.
     *
     * @param onMember what to run on the member
     * @param ifGone   what to run instead when the member is gone; it must not need the member's thread
     */
    void call(Runnable onMember, Runnable ifGone) {
        Call c = new Call(Objects.requireNonNull(onMember, "onMember must not be null"),
                Objects.requireNonNull(ifGone, "ifGone must not be null"));
        boolean queued;
        synchronized (lock) {
            queued = presence == Presence.PRESENT;
            if (queued) {
                pending.add(c);
            }
        }
        if (!queued) {
            run(ifGone);
            return;
        }
        member.callFromThread(() -> {
            if (claim(c)) {
                onMember.run();
            }
        });
    }

    /**
     * The member's {@code run()} returned: the calls it did not run get their fallback, on this thread, and later
     * calls get theirs at once. On the member's {@code run()} thread.
     */
    void ended() {
        List<Call> left;
        synchronized (lock) {
            presence = Presence.GONE;
            left = new ArrayList<>(pending);
            pending.clear();
        }
        for (Call c : left) {
            run(c.ifGone);
        }
    }

    /** Takes {@code c} to run it on the member: false if {@link #ended()} took it first. */
    private boolean claim(Call c) {
        synchronized (lock) {
            return pending.remove(c);
        }
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            LOG.error("Unhandled error in a call for a member of a reactor group that is gone", t);
        }
    }
}
