package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.protocol.PullProducer;
import dev.weft.protocol.PushProducer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringTransportTest {

    static final class Push implements PushProducer {
        boolean stopped;

        @Override
        public void pauseProducing() {
        }

        @Override
        public void resumeProducing() {
        }

        @Override
        public void stopProducing() {
            stopped = true;
        }
    }

    @Test
    void recordsWritesUntilCleared() {
        StringTransport t = new StringTransport();
        t.write(new byte[] {'a'});
        t.writeSequence(List.of(new byte[] {'b'}, new byte[] {'c'}));
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, t.value());
        assertEquals("abc", t.valueAsString());
        t.clear();
        assertEquals(0, t.value().length);
    }

    @Test
    void defaultAddressesAreTwisteds() {
        StringTransport t = new StringTransport();
        assertEquals(new InetSocketAddress("10.0.0.1", 12345), t.getHost());
        assertEquals(new InetSocketAddress("192.168.1.1", 54321), t.getPeer());
    }

    @Test
    void closingIsRecorded() {
        StringTransport t = new StringTransport();
        assertFalse(t.isDisconnecting());
        t.loseConnection();
        assertTrue(t.isDisconnecting());
        assertFalse(t.isAborting());
        StringTransport a = new StringTransport();
        a.abortConnection();
        assertTrue(a.isAborting());
        assertTrue(a.isDisconnecting());
        StringTransport h = new StringTransport();
        h.loseWriteConnection();
        assertTrue(h.isWriteDisconnecting());
        assertFalse(h.isDisconnecting());
    }

    @Test
    void producerStateIsCheckedLikeTwisteds() {
        StringTransport t = new StringTransport();
        assertEquals(StringTransport.ProducerState.PRODUCING, t.producerState());
        t.pauseProducing();
        assertEquals(StringTransport.ProducerState.PAUSED, t.producerState());
        t.resumeProducing();
        t.stopProducing();
        assertEquals(StringTransport.ProducerState.STOPPED, t.producerState());
        assertThrows(IllegalStateException.class, t::resumeProducing);
        StringTransport closed = new StringTransport();
        closed.loseConnection();
        assertThrows(IllegalStateException.class, closed::pauseProducing);
    }

    @Test
    void registerProducerChecksKindAndUniqueness() {
        StringTransport t = new StringTransport();
        Push p = new Push();
        assertThrows(IllegalArgumentException.class, () -> t.registerProducer(p, false));
        t.registerProducer(p, true);
        assertSame(p, t.producer());
        assertTrue(t.isStreaming());
        assertThrows(IllegalStateException.class, () -> t.registerProducer(new Push(), true));
        t.unregisterProducer();
        assertEquals(null, t.producer());
        PullProducer pull = new PullProducer() {
            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> t.registerProducer(pull, true));
        t.registerProducer(pull, false);
        assertFalse(t.isStreaming());
    }

    @Test
    void disconnectedTransportStopsProducers() {
        StringTransport t = new StringTransport();
        Push registered = new Push();
        t.registerProducer(registered, true);
        t.setDisconnected();
        assertTrue(registered.stopped);
        assertTrue(t.isDisconnected());
        t.unregisterProducer();
        Push late = new Push();
        t.registerProducer(late, true);
        assertTrue(late.stopped);
    }

    @Test
    void tcpOptionsAreRecorded() {
        StringTransport t = new StringTransport();
        t.setTcpNoDelay(true);
        t.setTcpKeepAlive(true);
        assertTrue(t.getTcpNoDelay());
        assertTrue(t.getTcpKeepAlive());
    }
}
