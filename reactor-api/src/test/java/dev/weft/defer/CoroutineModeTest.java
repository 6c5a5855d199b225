package dev.weft.defer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The option weft.coroutines: its values, and the failure that names what a continuation JVM lacks. */
class CoroutineModeTest {

    @Test
    void theOptionNamesThreadsOrContinuationThreadsByDefault() {
        assertEquals(CoroutineMode.THREADS, CoroutineMode.parse(null));
        assertEquals(CoroutineMode.THREADS, CoroutineMode.parse("threads"));
        assertEquals(CoroutineMode.CONTINUATION, CoroutineMode.parse(" Continuation "));
    }

    @Test
    void anUnknownValueIsRefusedNamingTheOptionAndItsValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoroutineMode.parse("fibers"));
        assertTrue(e.getMessage().contains("weft.coroutines") && e.getMessage().contains("threads")
                && e.getMessage().contains("continuation") && e.getMessage().contains("fibers"), e.getMessage());
    }

    /**
     * Where continuations are usable (the JDK 21+ continuation test run, which passes the flag), they load; elsewhere
     * the failure names the flag to add, or the JDK it needs.
     */
    @Test
    void continuationsLoadOrTheFailureNamesTheMissingFlag() {
        if (CoroutineMode.selected() == CoroutineMode.CONTINUATION) {
            Continuations.load();
            return;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, Continuations::load);
        String expected = Runtime.version().feature() >= 21
                ? "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED" : "needs JDK 21";
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("weft.coroutines=continuation"),
                e.getMessage());
    }
}
