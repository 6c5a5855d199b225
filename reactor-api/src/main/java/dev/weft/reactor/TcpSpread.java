package dev.weft.reactor;

import java.util.Locale;

/**
 * How a {@link ReactorGroup} spreads the connections of a TCP port it serves ({@link ReactorGroup#listenTCP}) over
 * its members: the setting {@code weft.group.tcp} ({@link ReactorConfig#groupTcp()}). A group of one member always
 * serves its ports alone.
 */
public enum TcpSpread {

    /**
     * {@link #REUSEPORT} where the kernel balances {@code SO_REUSEPORT} sockets (Linux) and every member's backend
     * can bind one; else {@link #ACCEPTOR} where member 0 can hand its connections to every member (the same backend
     * and loop kind); else member 0 alone serves the port (one {@code INFO} line says so). The default.
     */
    AUTO,

    /**
     * Every member binds a socket of its own to the port with {@code SO_REUSEPORT}, and the kernel spreads the
     * connections over them by a hash of their addresses; no thread hands a connection on. Where this cannot be done
     * (the kernel does not balance such sockets, or a backend cannot bind one), member 0 alone serves the port (one
     * {@code INFO} line says so).
     */
    REUSEPORT,

    /**
     * Member 0 alone listens and deals each connection it accepts to the members in turn (itself included), each of
     * which takes it over on its own thread, as a group's UNIX socket does. Where member 0 cannot hand connections
     * to every member (backends or loop kinds differ), member 0 alone serves the port (one {@code INFO} line says
     * so).
     */
    ACCEPTOR;

    /**
     * The spread a value of the setting names: {@code auto}, {@code reuseport} or {@code acceptor}, in any case.
     * Any thread.
     *
     * @param setting the setting's name, for the message (e.g. {@code weft.group.tcp})
     * @param value   the value
     * @return the spread
     * @throws IllegalArgumentException if {@code value} names none (the message names the setting, the value and
     *                                  the values allowed)
     */
    static TcpSpread parse(String setting, String value) {
        for (TcpSpread s : values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException(setting + " must be auto, reuseport or acceptor, got '" + value + "'");
    }

    /**
     * The setting's value that names this spread. Any thread.
     *
     * @return {@code auto}, {@code reuseport} or {@code acceptor}
     */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
