package dev.weft.defer;

/**
 * Failures left unhandled at the end of a Deferred's chain, logged when the Deferred is garbage-collected.
 */
public final class UnhandledErrors {
    private UnhandledErrors() {
    }
    // TODO: API to force the check in tests (collect garbage, log, and return what was found).
}
