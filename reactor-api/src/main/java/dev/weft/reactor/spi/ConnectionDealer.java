package dev.weft.reactor.spi;

import dev.weft.protocol.Factory;
import dev.weft.protocol.Protocol;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deals the connections that the one acceptor of a reactor group's port (UNIX, or TCP where it is not shared with
 * {@code SO_REUSEPORT}) accepts to the group's members,
 * round-robin (the acceptor included), skipping members that have stopped. The chosen member adopts the connection
 * on its own thread, through its {@code callFromThread} (the acceptor itself at once), builds its protocol with the
 * group's factory and starts it: the connection then belongs to that member for its whole life.
 *
 * <p>A connection handed to a member that stops before taking it is closed: by the member, if its call still runs
 * after its shutdown's {@code DURING} phase, else by {@link #closeUntaken()} once the group has ended.
 *
 * <p>{@link #handOff(AcceptedConnection)} runs on the acceptor's thread; the rest is thread-safe.
 */
final class ConnectionDealer {

    private final List<NetworkReactorBase> members;
    private final int acceptor;
    private final Factory factory;
    /** Connections handed to a member whose call has not run yet. */
    private final Set<AcceptedConnection> handedOn = ConcurrentHashMap.newKeySet();
    /** The member the next connection goes to; the acceptor's thread only. */
    private int next;

    /**
     * Creates the dealer of one port.
     *
     * @param members  the members, each able to adopt the acceptor's connections
     * @param acceptor the index of the member whose port accepts
     * @param factory  builds each connection's protocol, on the adopting member's thread (thread-safe)
     */
    ConnectionDealer(List<NetworkReactorBase> members, int acceptor, Factory factory) {
        this.members = List.copyOf(members);
        this.acceptor = acceptor;
        this.factory = factory;
    }

    /**
     * Hands one accepted connection to the next member. The acceptor's thread.
     *
     * @param c the connection, not registered with any loop
     */
    void handOff(AcceptedConnection c) {
        int target = pick();
        NetworkReactorBase member = members.get(target);
        if (target == acceptor) {
            adopt(member, c);
            return;
        }
        handedOn.add(c);
        try {
            member.callFromThread(() -> {
                if (handedOn.remove(c)) {
                    adopt(member, c);
                }
            });
        } catch (RuntimeException | Error e) {
            if (handedOn.remove(c)) {
                c.close();
            }
            throw e;
        }
    }

    /** The next member in turn that has not stopped; the acceptor if every other one has. */
    private int pick() {
        int n = members.size();
        for (int i = 0; i < n; i++) {
            int candidate = next;
            next = (next + 1) % n;
            if (!members.get(candidate).hasStopped()) {
                return candidate;
            }
        }
        return acceptor;
    }

    /** On {@code member}'s thread: takes the connection over and starts its protocol, or closes it. */
    private void adopt(NetworkReactorBase member, AcceptedConnection c) {
        if (member.hasStopped()) {
            // Past its shutdown's DURING phase: the member would never close it.
            c.close();
            return;
        }
        try {
            c.adoptOn(member, t -> {
                Protocol p = t.buildProtocolWith(factory);
                if (p == null) {
                    t.reject();
                } else {
                    t.start(p);
                }
            });
        } catch (RuntimeException e) {
            c.close();
            member.logError("while taking over a connection accepted by member " + acceptor + " of its group", e);
        }
    }

    /**
     * Closes the connections handed to members that never took them (they stopped first). Any thread; called once
     * the group has ended.
     */
    void closeUntaken() {
        for (AcceptedConnection c : handedOn) {
            if (handedOn.remove(c)) {
                c.close();
            }
        }
    }
}
