package dev.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.StringTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactoryTest {

    static final class CountingFactory extends Factory {
        int starts;
        int stops;

        CountingFactory() {
            super(() -> new Protocol() { });
        }

        @Override
        protected void startFactory() {
            starts++;
        }

        @Override
        protected void stopFactory() {
            stops++;
        }
    }

    private static final InetSocketAddress PEER = InetSocketAddress.createUnresolved("peer", 1);

    @Test
    void startFactoryRunsOnceForManyPortsAndStopFactoryWhenTheLastStops() {
        CountingFactory f = new CountingFactory();
        f.doStart();
        f.doStart();
        f.doStart();
        assertEquals(1, f.starts);
        assertEquals(3, f.numPorts());
        f.doStop();
        f.doStop();
        assertEquals(0, f.stops);
        f.doStop();
        assertEquals(1, f.stops);
        assertEquals(0, f.numPorts());
        f.doStart();
        assertEquals(2, f.starts, "a factory can start again after it stopped");
    }

    @Test
    void doStopWithoutDoStartDoesNothing() {
        CountingFactory f = new CountingFactory();
        f.doStop();
        assertEquals(0, f.stops);
        assertEquals(0, f.numPorts());
    }

    @Test
    void buildProtocolSetsTheFactory() {
        Factory f = Factory.forProtocol(() -> new Protocol() { });
        Protocol p = f.buildProtocol(PEER);
        assertSame(f, p.factory());
        assertNull(p.transport());
    }

    @Test
    void buildProtocolReturningNullRejects() {
        Factory f = Factory.forProtocol(() -> null);
        assertNull(f.buildProtocol(PEER));
    }

    @Test
    void factoryWithoutSupplierMustOverrideBuildProtocol() {
        Factory f = new Factory() { };
        assertThrows(UnsupportedOperationException.class, () -> f.buildProtocol(PEER));
    }

    @Test
    void forProtocolRejectsNullWithTheArgumentName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Factory.forProtocol(null));
        assertTrue(e.getMessage().contains("protocolSupplier"), e.getMessage());
        assertThrows(NullPointerException.class, () -> ClientFactory.forProtocol(null));
    }

    @Test
    void makeConnectionSetsTransportThenCallsConnectionMade() {
        List<Transport> seen = new ArrayList<>();
        Protocol p = new Protocol() {
            @Override
            public void connectionMade() {
                seen.add(transport);
            }
        };
        StringTransport t = new StringTransport();
        p.makeConnection(t);
        assertEquals(List.of(t), seen);
        assertSame(t, p.transport());
        assertThrows(NullPointerException.class, () -> p.makeConnection(null));
    }

    @Test
    void datagramProtocolStartsOnceForManyPorts() {
        int[] startsStops = new int[2];
        DatagramProtocol p = new DatagramProtocol() {
            @Override
            public void startProtocol() {
                startsStops[0]++;
            }

            @Override
            public void stopProtocol() {
                startsStops[1]++;
            }
        };
        p.doStart();
        p.doStart();
        p.doStop();
        assertEquals(1, startsStops[0]);
        assertEquals(0, startsStops[1]);
        p.doStop();
        assertEquals(1, startsStops[1]);
        p.doStop();
        assertEquals(1, startsStops[1]);
    }
}
