package dev.weft.reactor;

import dev.weft.defer.Deferred;
import dev.weft.protocol.Factory;
import dev.weft.protocol.ListeningPort;
import java.util.List;

/**
 * N reactors made together, each with its own thread and the whole contract of a single {@link Reactor}: the way to
 * use more than one core. Make one with {@link Reactors#createGroup(int)} (or the Netty backend's
 * {@code NettyReactor.createGroup}/{@code attachGroup}).
 *
 * <p>Members share nothing on their loop path: a connection, a timer or a descriptor belongs to the member it was
 * made on, and all its callbacks run on that member's thread for its whole life. What is shared is what the user
 * passes to several members (a {@link Factory}, a thread pool, objects of their own): such objects are called from
 * several threads.
 *
 * <p><b>Lifecycle.</b> {@link #run()} runs every member on its own thread, named {@code weft-group-<g>-member-<i>}
 * (an attached Netty member runs its callbacks on its borrowed loop's thread, and its group thread only waits), and
 * returns once every member has stopped. {@link #stop()} asks every member to stop at once, in parallel; each member
 * then runs its own {@code shutdown} event ({@code BEFORE}, {@code DURING}, {@code AFTER}) on its own thread,
 * independently of the others: member 1's {@code AFTER} triggers may run before member 0's {@code BEFORE} triggers.
 * {@code run()} returns after every member's {@code AFTER} triggers have run. A member stopped on its own (its
 * {@code stop()}) ends alone; the group's {@code run()} returns when the last member has ended. If a member's
 * {@code run()} fails, the group stops the others and {@code run()} throws that failure once all have ended. A
 * group runs once.
 *
 * <p><b>Threads.</b> Every method of this interface may be called from any thread, except as each says. Methods of
 * a member are called as a single reactor's are: on that member's thread, or from elsewhere through its
 * {@code callFromThread} (here {@link #callFromThread(int, Runnable)}).
 */
public interface ReactorGroup {

    /**
     * A system event trigger added to every member: called once per member, on that member's thread, with the
     * member's index.
     */
    @FunctionalInterface
    interface MemberTrigger {
        /**
         * Runs the trigger for one member, on its thread.
         *
         * @param member the index of the member whose event fires
         * @return a Deferred to hold the phase of that member's event ({@code BEFORE} only), or {@code null}
         * @throws Exception anything: it is logged by the member and its other triggers still run
         */
        Deferred<?> fire(int member) throws Exception;
    }

    /**
     * How many members the group has. Any thread.
     *
     * @return the size, at least 1
     */
    int size();

    /**
     * One member. Any thread; call the member's own methods by its thread rules.
     *
     * @param index the member's index, from 0 to {@code size() - 1}
     * @return the member
     * @throws IllegalArgumentException if {@code index} is out of range (the message names {@code index})
     */
    Reactor member(int index);

    /**
     * The members, in index order. Any thread.
     *
     * @return an unmodifiable list of the members
     */
    List<Reactor> members();

    /**
     * Listens on {@code port} on every IPv4 interface with the default backlog; see
     * {@link #listenTCP(int, Factory, int, String)}.
     *
     * @param port    the port, 0 for one the system picks
     * @param factory builds a protocol per connection, on the thread of the member that serves it
     * @return the port served by the whole group
     */
    default ListeningPort listenTCP(int port, Factory factory) {
        return listenTCP(port, factory, ReactorTCP.DEFAULT_BACKLOG, "");
    }

    /**
     * Listens on {@code port} with every member: one port, served by the whole group, each connection's protocol
     * living on one member for its whole life. How the connections are spread is the setting {@code weft.group.tcp}
     * of member 0's configuration ({@link ReactorConfig#groupTcp()}, {@link TcpSpread}):
     * <ul>
     *   <li>{@code reuseport}: every member binds a listening socket of its own to the same port with
     *       {@code SO_REUSEPORT}, and the kernel spreads the connections over them by a hash of the connection's
     *       addresses (with port 0, the first member picks the port and the others bind it); each member accepts
     *       its own;</li>
     *   <li>{@code acceptor}: member 0 alone listens and deals each connection it accepts to the members in turn,
     *       itself included, skipping members that have stopped, as {@link #listenUNIX} does: the chosen member
     *       takes the connection over on its own thread and builds its protocol there;</li>
     *   <li>{@code auto} (the default): {@code reuseport} where the kernel balances it (Linux) and every member's
     *       backend can bind such a socket, else {@code acceptor} where member 0 can hand its connections to every
     *       member (the same backend and, on Netty, the same transport).</li>
     * </ul>
     * Where the mode chosen cannot be used, member 0 alone serves the port (one {@code INFO} line says so).
     *
     * <p>The factory is shared: the group calls its methods one at a time (it holds the factory's monitor), each on
     * the thread of the member that needs it ({@code buildProtocol} on the thread of the member that serves the
     * connection); {@code startFactory} runs when the first socket is bound and {@code stopFactory} when the last one
     * is closed. State that the protocols of different members share must be thread-safe.
     *
     * <p>Binds before it returns. Call it before {@link #run()} from any thread, or while the group runs from a thread
     * that is not a member's (it waits for each member to bind, one after the other).
     *
     * @param port    the port, 0 for one the system picks
     * @param factory the factory of the protocols
     * @param backlog the accept queue length of each member's socket, at least 1
     * @param iface   the interface to bind, {@code ""} for every IPv4 interface
     * @return the port: {@code getHost()} gives the bound address; {@code stopListening()} (from any thread) closes
     *         every socket of the port; its Deferred fires on the caller's thread once all are closed (called from
     *         outside the running group, it waits for that, at most 10 s, and returns a fired Deferred)
     * @throws IllegalArgumentException                if an argument is out of range (the message names it)
     * @throws dev.weft.protocol.CannotListenException if a member cannot bind (the members bound before are closed)
     * @throws IllegalStateException                   if called from a member's thread while the group runs, or
     *                                                 after the group stopped
     */
    ListeningPort listenTCP(int port, Factory factory, int backlog, String iface);

    /**
     * Listens on the UNIX socket file {@code path} with the default backlog, mode {@code 0666} and no lock file; see
     * {@link #listenUNIX(String, Factory, int, int, boolean)}.
     *
     * @param path    the socket file's path
     * @param factory builds a protocol per connection, on the thread of the member that takes the connection
     * @return the port served by the whole group
     */
    default ListeningPort listenUNIX(String path, Factory factory) {
        return listenUNIX(path, factory, ReactorTCP.DEFAULT_BACKLOG, ReactorUNIX.DEFAULT_MODE, false);
    }

    /**
     * Listens on the UNIX socket file {@code path} with the whole group: one acceptor hands each connection to a
     * member, whose reactor owns the connection's protocol for its whole life. Linux does not spread UNIX-socket
     * connections over sockets bound with {@code SO_REUSEPORT}, so member 0 alone listens, with the socket-file rules
     * of a single reactor's {@link ReactorUNIX#listenUNIX(String, Factory, int, int, boolean)} (the mode, the lock
     * file with {@code wantPID}, the file removed when the port closes), and deals the connections it accepts to the
     * members round-robin, itself included, skipping members that have stopped. The chosen member takes the
     * connection over on its own thread (through its {@code callFromThread}, so one hop per connection), builds its
     * protocol and runs every callback of it there. Where the members cannot take over each other's connections
     * (backends or Netty transports differ), member 0 alone serves the socket.
     *
     * <p>The factory is shared, as with {@link #listenTCP(int, Factory, int, String)}: the group calls its methods one
     * at a time (holding its monitor), {@code buildProtocol} on the thread of the member that takes the connection;
     * {@code startFactory} runs once, when the socket is bound, and {@code stopFactory} once, when it is closed. A
     * connection accepted before {@code stopListening()} and taken over by its member after {@code stopFactory} ran
     * is closed without a protocol.
     *
     * <p>Binds before it returns. Call it before {@link #run()} from any thread, or while the group runs from a thread
     * that is not a member's.
     *
     * @param path    the socket file's path
     * @param factory the factory of the protocols
     * @param backlog the accept queue length, at least 1
     * @param mode    the permission bits of the socket file, 0 to {@code 0777}
     * @param wantPID whether to hold the lock file {@code path + ".lock"} while listening
     * @return the port: {@code getHost()} carries the path; {@code stopListening()} (from any thread) closes the
     *         socket and removes its file, and its Deferred fires on the caller's thread (called from outside the
     *         running group, it waits for that, at most 10 s, and returns a fired Deferred)
     * @throws NullPointerException                    if {@code path} or {@code factory} is null
     * @throws IllegalArgumentException                if an argument is out of range (the message names it)
     * @throws dev.weft.protocol.CannotListenException if the socket cannot be bound (a missing directory, the path
     *                                                 in use, a held lock)
     * @throws IllegalStateException                   if called from a member's thread while the group runs, or
     *                                                 after the group stopped
     */
    ListeningPort listenUNIX(String path, Factory factory, int backlog, int mode, boolean wantPID);

    /**
     * Runs {@code f} on the thread of member {@code member}: that member's {@code callFromThread}. Any thread.
     *
     * @param member the index of the member
     * @param f      what to run
     * @throws IllegalArgumentException if {@code member} is out of range
     * @throws NullPointerException     if {@code f} is null
     */
    void callFromThread(int member, Runnable f);

    /**
     * Adds a trigger to a phase of a system event of every member; see
     * {@link ReactorCore#addSystemEventTrigger(Phase, String, SystemEventTrigger)}. Each member calls
     * {@code trigger} on its own thread, with its index, when its own event fires (see the class doc for the order
     * between members). Call it before {@link #run()} from any thread, or while the group runs from a thread that is
     * not a member's.
     *
     * @param phase   the phase
     * @param event   the event name, e.g. {@link ReactorCore#SHUTDOWN}
     * @param trigger what each member runs
     * @return the trigger's id on each member, by index (for that member's {@code removeSystemEventTrigger})
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if called from a member's thread while the group runs, or after it stopped
     */
    List<TriggerId> addSystemEventTrigger(Phase phase, String event, MemberTrigger trigger);

    /**
     * Runs every member, each on its own thread, and returns once all have stopped (see the class doc). Call it from
     * a thread that is not a member's. An interrupt of the calling thread stops the group.
     *
     * @throws ReactorAlreadyRunningException if the group is running
     * @throws ReactorNotRestartableException if the group ran before
     * @throws RuntimeException               the failure of a member's {@code run()}, after every member ended
     */
    void run();

    /**
     * Asks every member to stop, in parallel, through each member's {@code callFromThread}; returns at once. Any
     * thread, a member's included. A member that is stopping already goes on as it was.
     *
     * @throws ReactorNotRunningException if the group has not been run, or is stopping or stopped already
     */
    void stop();

    /**
     * Whether {@link #run()} has started and the group has not ended (every member stopped). Any thread.
     *
     * @return whether the group runs
     */
    boolean isRunning();
}
