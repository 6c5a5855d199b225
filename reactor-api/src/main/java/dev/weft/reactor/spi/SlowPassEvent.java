package dev.weft.reactor.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JDK Flight Recorder event: one pass of the loop (from the end of one wait for I/O to the start of the next: the
 * dispatch of what the wait found, then the callbacks) that took longer than the event's threshold (20 ms unless the
 * recording sets another).
 */
@Name("dev.weft.SlowPass")
@Label("Slow Loop Pass")
@Category({"Weft", "Reactor"})
@Description("The callbacks run between two waits for I/O (the dispatch of I/O included) took longer than the"
        + " threshold")
@Threshold("20 ms")
@StackTrace(false)
final class SlowPassEvent extends jdk.jfr.Event {
    @Label("Reactor")
    String reactor;
}
