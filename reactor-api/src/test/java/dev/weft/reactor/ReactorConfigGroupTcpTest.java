package dev.weft.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The setting {@code weft.group.tcp}: its values, its default, and a bad value refused naming it. */
final class ReactorConfigGroupTcpTest {

    /** Reads the configuration with {@code weft.group.tcp} set to {@code value}, the property restored after. */
    private static <T> T with(String value, Supplier<T> read) {
        String old = System.getProperty(ReactorConfig.GROUP_TCP);
        try {
            if (value == null) {
                System.clearProperty(ReactorConfig.GROUP_TCP);
            } else {
                System.setProperty(ReactorConfig.GROUP_TCP, value);
            }
            return read.get();
        } finally {
            if (old == null) {
                System.clearProperty(ReactorConfig.GROUP_TCP);
            } else {
                System.setProperty(ReactorConfig.GROUP_TCP, old);
            }
        }
    }

    @Test
    void eachValueNamesItsSpreadInAnyCase() {
        assertEquals(TcpSpread.AUTO, with("auto", () -> ReactorConfig.fromEnvironment().groupTcp()));
        assertEquals(TcpSpread.REUSEPORT, with("reuseport", () -> ReactorConfig.fromEnvironment().groupTcp()));
        assertEquals(TcpSpread.ACCEPTOR, with(" Acceptor ", () -> ReactorConfig.fromEnvironment().groupTcp()));
        for (TcpSpread s : TcpSpread.values()) {
            assertEquals(s, with(s.toString(), () -> ReactorConfig.fromEnvironment().groupTcp()));
        }
    }

    @Test
    void theDefaultIsAuto() {
        if (System.getenv("WEFT_GROUP_TCP") == null) {
            assertEquals(TcpSpread.AUTO, with(null, () -> ReactorConfig.fromEnvironment().groupTcp()));
        }
        assertEquals(TcpSpread.AUTO, ReactorConfig.quiet().groupTcp());
    }

    @Test
    void aBadValueIsRefusedNamingTheSettingAndTheValuesAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> with("sideways", ReactorConfig::fromEnvironment));
        assertEquals("weft.group.tcp must be auto, reuseport or acceptor, got 'sideways'", e.getMessage());
    }

    @Test
    void withGroupTcpChangesOnlyThatSetting() {
        ReactorConfig base = ReactorConfig.quiet();
        ReactorConfig acceptor = base.withGroupTcp(TcpSpread.ACCEPTOR);
        assertEquals(TcpSpread.ACCEPTOR, acceptor.groupTcp());
        assertEquals(TcpSpread.AUTO, base.groupTcp(), "the original is unchanged");
        assertEquals(base.threadPoolSize(), acceptor.threadPoolSize());
        assertEquals(base.virtualThreads(), acceptor.virtualThreads());
        assertEquals(base.blockedThresholdMillis(), acceptor.blockedThresholdMillis());
        assertEquals(base.warmup(), acceptor.warmup());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> base.withGroupTcp(null));
        assertTrue(npe.getMessage().contains("spread"), npe.getMessage());
    }
}
