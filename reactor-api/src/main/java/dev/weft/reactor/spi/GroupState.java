package dev.weft.reactor.spi;

/** Where a {@link MemberGroup} is in its life; it moves forward only. */
enum GroupState {
    /** Made; {@code run()} not called. Members are called directly from the calling thread. */
    NOT_STARTED,
    /** {@code run()} started the members' threads. Members are called through their {@code callFromThread}. */
    RUNNING,
    /** {@code stop()} was accepted; members are shutting down. */
    STOPPING,
    /** Every member's {@code run()} has returned. */
    STOPPED
}
