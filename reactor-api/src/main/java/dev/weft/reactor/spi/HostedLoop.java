package dev.weft.reactor.spi;

/**
 * Makes the {@link LoopDriver} of a reactor whose passes a host loop runs between its own tasks (an attached Netty
 * reactor), from the reactor's {@link LoopPass}. Called once, in the reactor's constructor. For implementors of
 * backends.
 */
@FunctionalInterface
public interface HostedLoop {

    /**
     * Creates the driver.
     *
     * @param pass the passes of the reactor being made
     * @return the driver
     */
    LoopDriver create(LoopPass pass);
}
