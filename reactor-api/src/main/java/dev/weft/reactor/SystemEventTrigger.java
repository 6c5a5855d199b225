package dev.weft.reactor;

import dev.weft.defer.Deferred;

/**
 * A system event trigger that may hold its phase: when it returns a Deferred, the next phase of the event waits
 * until that Deferred has fired (its failure is logged). Returning {@code null} means it is done.
 *
 * <p>Called on the reactor thread.
 */
@FunctionalInterface
public interface SystemEventTrigger {

    /**
     * Runs the trigger.
     *
     * @return a Deferred to wait for, or {@code null}
     * @throws Exception anything: it is logged and the other triggers still run
     */
    Deferred<?> fire() throws Exception;
}
