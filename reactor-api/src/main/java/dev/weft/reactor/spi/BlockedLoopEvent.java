package dev.weft.reactor.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JDK Flight Recorder event: the blocked-loop detector's report, with the stack of what held the loop. */
@Name("dev.weft.BlockedLoop")
@Label("Blocked Loop")
@Category({"Weft", "Reactor"})
@Description("A callback or coroutine body held the reactor thread longer than the blocked-loop threshold")
@StackTrace(false) // the recording thread is the detector's; the blocking stack is in a field
final class BlockedLoopEvent extends jdk.jfr.Event {
    @Label("Reactor")
    String reactor;

    @Label("Held")
    @Timespan(Timespan.MILLISECONDS)
    long held;

    @Label("Thread")
    @Description("The thread holding the loop: the reactor thread, or a coroutine body on its behalf")
    String thread;

    @Label("Stack")
    String stack;
}
