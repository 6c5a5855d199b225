package dev.weft.reactor;

/**
 * The phase of a system event in which a trigger runs: every {@code BEFORE} trigger (and the Deferreds they
 * return) completes before the {@code DURING} triggers run, and those before the {@code AFTER} triggers.
 */
public enum Phase {
    /** Runs first; a trigger that returns a Deferred holds the event until that Deferred fires. */
    BEFORE,
    /** Runs once every {@code BEFORE} trigger has finished. */
    DURING,
    /** Runs last. */
    AFTER
}
