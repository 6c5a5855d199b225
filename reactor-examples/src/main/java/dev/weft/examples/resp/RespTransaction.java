package dev.weft.examples.resp;

import java.util.ArrayList;
import java.util.List;

/**
 * The MULTI state of one connection: whether a transaction is open, whether a queuing error has doomed it, and
 * the commands queued for EXEC.
 *
 * <p>As in Redis, a command that is unknown or has the wrong number of arguments while the transaction is open
 * makes EXEC fail with EXECABORT and apply nothing; errors raised when a queued command runs do not. Not
 * thread-safe: one per connection, used on the reactor thread.
 */
final class RespTransaction {

    /** Where a connection stands with respect to MULTI. */
    enum State {
        /** No MULTI: commands run at once. */
        NONE,
        /** After MULTI: commands are queued. */
        QUEUING,
        /** After MULTI and a queuing error: EXEC will answer EXECABORT. */
        ABORTED
    }

    /** A command waiting for EXEC, its arity already checked. */
    static final class Queued {
        final RespCommands.Command command;
        final byte[][] argv;

        Queued(RespCommands.Command command, byte[][] argv) {
            this.command = command;
            this.argv = argv;
        }
    }

    private State state = State.NONE;
    private final List<Queued> queued = new ArrayList<>();

    /**
     * The current state.
     *
     * @return the state
     */
    State state() {
        return state;
    }

    /** Opens a transaction (MULTI); the caller has checked that none is open. */
    void begin() {
        state = State.QUEUING;
    }

    /**
     * Queues a command for EXEC.
     *
     * @param command the command
     * @param argv    its arguments, a copy the transaction keeps
     */
    void queue(RespCommands.Command command, byte[][] argv) {
        queued.add(new Queued(command, argv));
    }

    /** Records a queuing error: EXEC will fail. Does nothing when no transaction is open. */
    void flagError() {
        if (state == State.QUEUING) {
            state = State.ABORTED;
        }
    }

    /**
     * Ends the transaction (EXEC or DISCARD) and hands over what was queued.
     *
     * @return the queued commands, in order
     */
    List<Queued> end() {
        List<Queued> list = new ArrayList<>(queued);
        queued.clear();
        state = State.NONE;
        return list;
    }
}
