package dev.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.task.Clock;
import dev.weft.testing.MemoryConnector;
import dev.weft.testing.MemoryReactorClock;
import dev.weft.testing.StringTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectingClientFactoryTest {

    /** A Random whose Gaussian draws are fixed. */
    static final class FixedGaussian extends Random {
        private static final long serialVersionUID = 1L;
        private final double value;

        FixedGaussian(double value) {
            this.value = value;
        }

        @Override
        public synchronized double nextGaussian() {
            return value;
        }
    }

    private final MemoryReactorClock reactor = new MemoryReactorClock();

    private ReconnectingClientFactory factory(Random random) {
        return new ReconnectingClientFactory(reactor, () -> new Protocol() { }, random);
    }

    private MemoryConnector connect(ReconnectingClientFactory f) {
        return (MemoryConnector) reactor.connectTCP("example.com", 1234, f);
    }

    @Test
    void defaultsAreTwisteds() {
        ReconnectingClientFactory f = factory(new Random(1));
        assertEquals(1.0, f.getInitialDelay());
        assertEquals(3600, f.getMaxDelay());
        assertEquals(Math.E, f.getFactor());
        assertEquals(0.119626565582, f.getJitter());
        assertEquals(OptionalInt.empty(), f.getMaxRetries());
        assertEquals(1.0, f.getDelay());
        assertTrue(f.isTrying());
    }

    @Test
    void failedConnectionIsRetriedAfterTheDelayOnTheClock() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        MemoryConnector c = connect(f);
        c.failConnection(new ConnectionRefusedException("refused", null));
        assertEquals(Math.E, f.getDelay(), 1e-12);
        assertNotNull(f.getPendingRetry());
        reactor.advance(Math.E - 0.001);
        assertEquals(1, c.connectCount());
        reactor.advance(0.001);
        assertEquals(2, c.connectCount());
        assertNull(f.getPendingRetry());
    }

    @Test
    void delaysGrowByTheFactorUpToTheMaximum() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        f.setFactor(2);
        f.setMaxDelay(10);
        MemoryConnector c = connect(f);
        List<Double> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            c.failConnection(new ConnectTimeoutException("timeout"));
            delays.add(f.getDelay());
            reactor.advance(f.getDelay());
        }
        assertEquals(List.of(2.0, 4.0, 8.0, 10.0, 10.0, 10.0), delays);
        assertEquals(7, c.connectCount());
    }

    @Test
    void lostConnectionIsRetriedToo() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        MemoryConnector c = connect(f);
        c.completeConnection(new StringTransport());
        c.loseConnection(new ConnectionLost("gone"));
        assertNotNull(f.getPendingRetry());
        reactor.advance(f.getDelay());
        assertEquals(2, c.connectCount());
    }

    @Test
    void jitterDrawsFromANormalDistributionScaledByTheDelay() {
        ReconnectingClientFactory up = factory(new FixedGaussian(2.0));
        up.setJitter(0.1);
        up.retry(connect(up));
        assertEquals(Math.E * (1 + 2.0 * 0.1), up.getDelay(), 1e-12);

        ReconnectingClientFactory down = factory(new FixedGaussian(-100));
        down.retry(connect(down));
        assertEquals(0.0, down.getDelay(), "a delay is never negative");
    }

    @Test
    void jitteredDelaysStayWithinSixSigmaAndVary() {
        ReconnectingClientFactory f = factory(new Random(42));
        f.setMaxDelay(5);
        MemoryConnector c = connect(f);
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < 200; i++) {
            f.resetDelay();
            f.setInitialDelay(5);
            c.failConnection(new ConnectTimeoutException("timeout"));
            double d = f.getDelay();
            assertTrue(Math.abs(d - 5) <= 6 * 5 * f.getJitter(), "delay " + d);
            min = Math.min(min, d);
            max = Math.max(max, d);
            reactor.advance(d);
        }
        assertTrue(max - min > 0.5, "jitter spreads delays: " + min + ".." + max);
    }

    @Test
    void maxRetriesStopsRetrying() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        f.setMaxRetries(2);
        MemoryConnector c = connect(f);
        for (int i = 0; i < 3; i++) {
            c.failConnection(new ConnectTimeoutException("timeout"));
            reactor.advance(10_000);
        }
        assertEquals(3, c.connectCount(), "the first attempt and two retries");
        assertNull(f.getPendingRetry());
        assertTrue(reactor.getDelayedCalls().isEmpty());
    }

    @Test
    void maxRetriesZeroNeverRetries() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        f.setMaxRetries(0);
        MemoryConnector c = connect(f);
        c.failConnection(new ConnectTimeoutException("timeout"));
        assertTrue(reactor.getDelayedCalls().isEmpty());
    }

    @Test
    void stopTryingCancelsThePendingRetry() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        MemoryConnector c = connect(f);
        c.failConnection(new ConnectTimeoutException("timeout"));
        assertEquals(1, reactor.getDelayedCalls().size());
        f.stopTrying();
        assertTrue(reactor.getDelayedCalls().isEmpty());
        assertFalse(f.isTrying());
        reactor.advance(10_000);
        assertEquals(1, c.connectCount());
    }

    @Test
    void stopTryingStopsTheAttemptInProgressWithoutRetrying() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        MemoryConnector c = connect(f);
        c.failConnection(new ConnectTimeoutException("first"));
        reactor.advance(f.getDelay());
        assertEquals(MemoryConnector.State.CONNECTING, c.state());
        f.stopTrying();
        assertTrue(c.stoppedConnecting());
        assertTrue(reactor.getDelayedCalls().isEmpty(), "the cancelled attempt is not retried");
    }

    @Test
    void resetDelayStartsTheBackoffOverAndResumesAfterStopTrying() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        MemoryConnector c = connect(f);
        c.failConnection(new ConnectTimeoutException("timeout"));
        reactor.advance(f.getDelay());
        c.failConnection(new ConnectTimeoutException("timeout"));
        assertEquals(Math.E * Math.E, f.getDelay(), 1e-9);
        assertEquals(2, f.getRetries());
        f.stopTrying();
        f.resetDelay();
        assertEquals(1.0, f.getDelay());
        assertEquals(0, f.getRetries());
        assertTrue(f.isTrying());
        c.connect();
        c.failConnection(new ConnectTimeoutException("timeout"));
        assertEquals(Math.E, f.getDelay(), 1e-12);
    }

    @Test
    void retryWithoutAConnectorFails() {
        ReconnectingClientFactory f = factory(new FixedGaussian(0));
        assertThrows(IllegalStateException.class, f::retry);
    }

    @Test
    void worksWithAPlainClock() {
        Clock clock = new Clock();
        ReconnectingClientFactory f = new ReconnectingClientFactory(clock, () -> new Protocol() { },
                new FixedGaussian(0));
        int[] connects = new int[1];
        Connector c = new Connector() {
            @Override
            public void connect() {
                connects[0]++;
            }

            @Override
            public void disconnect() {
            }

            @Override
            public void stopConnecting() {
                throw new NotConnectingException("no");
            }

            @Override
            public java.net.InetSocketAddress getDestination() {
                return null;
            }
        };
        f.clientConnectionFailed(c, new ConnectTimeoutException("t"));
        clock.advance(Math.E);
        assertEquals(1, connects[0]);
        f.stopTrying();
    }

    @Test
    void settersCheckTheirArguments() {
        ReconnectingClientFactory f = factory(new Random());
        assertThrows(IllegalArgumentException.class, () -> f.setFactor(0));
        assertThrows(IllegalArgumentException.class, () -> f.setMaxDelay(-1));
        assertThrows(IllegalArgumentException.class, () -> f.setInitialDelay(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> f.setJitter(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> f.setMaxRetries(-1));
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new ReconnectingClientFactory(null, () -> null));
        assertTrue(e.getMessage().contains("clock"), e.getMessage());
    }
}
