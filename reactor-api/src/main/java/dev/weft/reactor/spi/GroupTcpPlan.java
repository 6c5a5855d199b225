package dev.weft.reactor.spi;

import dev.weft.reactor.TcpSpread;
import java.util.Objects;

/**
 * How a reactor group serves one TCP port ({@link MemberGroup#listenTCP}), chosen from the setting
 * ({@link TcpSpread}) and from what the platform and the members can do. Pure: no I/O, any thread.
 */
enum GroupTcpPlan {

    /** Every member binds a socket of its own with {@code SO_REUSEPORT}; the kernel spreads the connections. */
    SHARES,

    /** Member 0 accepts and deals each connection to a member, which adopts it ({@link ConnectionDealer}). */
    ACCEPTOR,

    /** Member 0 alone serves the port. */
    MEMBER_ZERO;

    /**
     * Chooses how a port is served.
     *
     * @param asked             the setting of the group ({@code weft.group.tcp})
     * @param members           how many members the group has
     * @param reusePortBalances whether the kernel spreads connections over {@code SO_REUSEPORT} sockets (Linux)
     * @param everyMemberShares whether every member's backend can bind a {@code SO_REUSEPORT} socket
     * @param member0HandsToAll whether member 0 can hand its accepted connections to every member
     * @return the plan
     */
    static GroupTcpPlan choose(TcpSpread asked, int members, boolean reusePortBalances, boolean everyMemberShares,
            boolean member0HandsToAll) {
        Objects.requireNonNull(asked, "asked must not be null");
        if (members < 2) {
            return MEMBER_ZERO;
        }
        boolean shares = reusePortBalances && everyMemberShares;
        return switch (asked) {
            case AUTO -> shares ? SHARES : member0HandsToAll ? ACCEPTOR : MEMBER_ZERO;
            case REUSEPORT -> shares ? SHARES : MEMBER_ZERO;
            case ACCEPTOR -> member0HandsToAll ? ACCEPTOR : MEMBER_ZERO;
        };
    }

    /**
     * Why member 0 serves a port alone when {@code asked} was set: for the {@code INFO} line that says so.
     *
     * @param asked the setting of the group
     * @return the reason, a clause
     */
    static String whyAlone(TcpSpread asked) {
        String noShares = "SO_REUSEPORT does not spread connections here, or a member's backend cannot bind it";
        String noHandOff = "member 0 cannot hand its connections to every member (backends or loops differ)";
        return switch (asked) {
            case AUTO -> noShares + ", and " + noHandOff;
            case REUSEPORT -> noShares;
            case ACCEPTOR -> noHandOff;
        };
    }
}
