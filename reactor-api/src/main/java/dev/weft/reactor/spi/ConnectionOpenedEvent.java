package dev.weft.reactor.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JDK Flight Recorder event: a stream connection was made and its protocol started. */
@Name("dev.weft.ConnectionOpened")
@Label("Connection Opened")
@Category({"Weft", "Connections"})
@Description("A stream connection (TCP, TLS) was made and its protocol's connectionMade ran")
@StackTrace(false)
final class ConnectionOpenedEvent extends jdk.jfr.Event {
    @Label("Reactor")
    String reactor;

    @Label("Local Address")
    String host;

    @Label("Peer Address")
    String peer;
}
