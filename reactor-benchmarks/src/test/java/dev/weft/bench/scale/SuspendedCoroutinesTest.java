package dev.weft.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The suspended-coroutines program, with a small count. */
@Timeout(60)
class SuspendedCoroutinesTest {

    @Test
    void everySuspendedBodyResumesAndReturnsItsOwnIndex() {
        SuspendedCoroutines.Result r = SuspendedCoroutines.measure(2_000);
        assertEquals(2_000, r.completed());
        assertTrue(r.heapSuspended() > 0 && r.heapBefore() > 0, r.toString());
    }

    @Test
    void aBadCountIsRefusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SuspendedCoroutines.parseCount("lots"));
        assertTrue(e.getMessage().contains("--count"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SuspendedCoroutines.parseCount("0"));
    }
}
