package dev.weft.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.compat.harness.ContractTest;
import dev.weft.compat.harness.ReactorHarness;
import dev.weft.reactor.Reactor;
import dev.weft.reactor.Reactors;

/** Choosing a backend with {@link Reactors}. */
final class BackendSelectionContractTest {

    @ContractTest
    void unknownBackendFailsWithMessageListingTheBackendsPresent(ReactorHarness h) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reactors.create("nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertTrue(e.getMessage().contains(h.variant().backend()), "message must list " + h.variant().backend()
                + ": " + e.getMessage());
        for (String name : Reactors.providers().keySet()) {
            assertTrue(e.getMessage().contains(name), "message must list " + name + ": " + e.getMessage());
        }
    }

    @ContractTest
    void createHonoursTheSystemProperty(ReactorHarness h) {
        String old = System.getProperty(Reactors.PROPERTY);
        try {
            System.setProperty(Reactors.PROPERTY, h.variant().backend());
            Reactor r = Reactors.create();
            assertNamesBackend(h.variant().backend(), r);
        } finally {
            restore(old);
        }
    }

    @ContractTest
    void createByNameIgnoresCaseAndSurroundingSpace(ReactorHarness h) {
        Reactor r = Reactors.create("  " + h.variant().backend().toUpperCase(java.util.Locale.ROOT) + " ");
        assertNamesBackend(h.variant().backend(), r);
    }

    @ContractTest
    void unknownBackendInTheSystemPropertyFails(ReactorHarness h) {
        String old = System.getProperty(Reactors.PROPERTY);
        try {
            System.setProperty(Reactors.PROPERTY, "nope");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Reactors::create);
            assertTrue(e.getMessage().contains(h.variant().backend()), e.getMessage());
        } finally {
            restore(old);
        }
    }

    /** A reactor made for backend {@code backend} reports that name, or it followed by "-" and its configuration. */
    private static void assertNamesBackend(String backend, Reactor r) {
        String name = r.backendName();
        assertTrue(name.equals(backend) || name.startsWith(backend + "-"),
                "backendName() of a " + backend + " reactor: " + name);
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(Reactors.PROPERTY);
        } else {
            System.setProperty(Reactors.PROPERTY, old);
        }
    }
}
