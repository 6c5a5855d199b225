package dev.weft.reactor.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JDK Flight Recorder event: a stream connection ended and its protocol's {@code connectionLost} ran. */
@Name("dev.weft.ConnectionClosed")
@Label("Connection Closed")
@Category({"Weft", "Connections"})
@Description("A stream connection ended; its protocol's connectionLost ran with the reason")
@StackTrace(false)
final class ConnectionClosedEvent extends jdk.jfr.Event {
    @Label("Reactor")
    String reactor;

    @Label("Local Address")
    String host;

    @Label("Peer Address")
    String peer;

    @Label("Reason")
    String reason;
}
