package dev.weft.reactor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.reactor.TcpSpread;
import org.junit.jupiter.api.Test;

/**
 * How a reactor group serves a TCP port for each setting of {@code weft.group.tcp}, on a platform whose kernel
 * balances {@code SO_REUSEPORT} sockets (Linux) and on one whose kernel does not (macOS, the BSDs, Windows), with
 * members that can or cannot share a port or adopt each other's connections.
 */
final class GroupTcpPlanTest {

    private static final boolean LINUX = true;
    private static final boolean BSD = false;

    @Test
    void autoSharesWhereTheKernelBalancesAndEveryMemberCan() {
        assertEquals(GroupTcpPlan.SHARES, GroupTcpPlan.choose(TcpSpread.AUTO, 2, LINUX, true, true));
        assertEquals(GroupTcpPlan.SHARES, GroupTcpPlan.choose(TcpSpread.AUTO, 2, LINUX, true, false));
    }

    @Test
    void autoFallsBackToTheAcceptorWhenMember0CanHandToAll() {
        assertEquals(GroupTcpPlan.ACCEPTOR, GroupTcpPlan.choose(TcpSpread.AUTO, 2, BSD, true, true));
        assertEquals(GroupTcpPlan.ACCEPTOR, GroupTcpPlan.choose(TcpSpread.AUTO, 2, LINUX, false, true));
    }

    @Test
    void autoLeavesMember0AloneWhenNeitherWorks() {
        assertEquals(GroupTcpPlan.MEMBER_ZERO, GroupTcpPlan.choose(TcpSpread.AUTO, 2, BSD, true, false));
        assertEquals(GroupTcpPlan.MEMBER_ZERO, GroupTcpPlan.choose(TcpSpread.AUTO, 3, LINUX, false, false));
    }

    @Test
    void acceptorIsUsedWhereverMember0CanHandToAllEvenWhereSharesWould() {
        assertEquals(GroupTcpPlan.ACCEPTOR, GroupTcpPlan.choose(TcpSpread.ACCEPTOR, 2, LINUX, true, true));
        assertEquals(GroupTcpPlan.ACCEPTOR, GroupTcpPlan.choose(TcpSpread.ACCEPTOR, 2, BSD, false, true));
        assertEquals(GroupTcpPlan.MEMBER_ZERO, GroupTcpPlan.choose(TcpSpread.ACCEPTOR, 2, LINUX, true, false));
    }

    @Test
    void reuseportNeverFallsBackToTheAcceptor() {
        assertEquals(GroupTcpPlan.SHARES, GroupTcpPlan.choose(TcpSpread.REUSEPORT, 2, LINUX, true, true));
        assertEquals(GroupTcpPlan.MEMBER_ZERO, GroupTcpPlan.choose(TcpSpread.REUSEPORT, 2, BSD, true, true));
        assertEquals(GroupTcpPlan.MEMBER_ZERO, GroupTcpPlan.choose(TcpSpread.REUSEPORT, 2, LINUX, false, true));
    }

    @Test
    void aGroupOfOneServesItsPortsAloneWhateverTheSetting() {
        for (TcpSpread s : TcpSpread.values()) {
            assertEquals(GroupTcpPlan.MEMBER_ZERO, GroupTcpPlan.choose(s, 1, LINUX, true, true), s.toString());
        }
    }

    @Test
    void theReasonForServingAloneNamesWhatWasMissing() {
        assertTrue(GroupTcpPlan.whyAlone(TcpSpread.REUSEPORT).contains("SO_REUSEPORT"));
        assertTrue(GroupTcpPlan.whyAlone(TcpSpread.ACCEPTOR).contains("cannot hand"));
        String auto = GroupTcpPlan.whyAlone(TcpSpread.AUTO);
        assertTrue(auto.contains("SO_REUSEPORT") && auto.contains("cannot hand"), auto);
    }
}
