package dev.weft.reactor.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JDK Flight Recorder event: a DelayedCall that ran at least 1 ms after its time. */
@Name("dev.weft.LateTimer")
@Label("Late Timer")
@Category({"Weft", "Reactor"})
@Description("A DelayedCall ran at least 1 ms after the time it was scheduled for")
@StackTrace(false)
final class LateTimerEvent extends jdk.jfr.Event {
    @Label("Reactor")
    String reactor;

    @Label("Lateness")
    @Timespan(Timespan.NANOSECONDS)
    long lateness;

    @Label("Call")
    String call;
}
