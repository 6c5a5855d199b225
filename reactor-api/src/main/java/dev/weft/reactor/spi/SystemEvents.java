package dev.weft.reactor.spi;

import dev.weft.defer.Deferred;
import dev.weft.reactor.Phase;
import dev.weft.reactor.SystemEventTrigger;
import dev.weft.reactor.TriggerId;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * System event triggers in three phases (Twisted's three-phase events). Each trigger runs once: firing an event
 * consumes its triggers. {@code BEFORE} triggers that return Deferreds hold the event until all have fired.
 * Used on the reactor thread only.
 */
final class SystemEvents {

    /** A hook run at the start of a phase, before the triggers of that phase. */
    interface PhaseHook {
        void enter(String event, Phase phase);
    }

    private static final class Trigger {
        final TriggerId id;
        final SystemEventTrigger body;

        Trigger(TriggerId id, SystemEventTrigger body) {
            this.id = id;
            this.body = body;
        }
    }

    private static final class Event {
        final Map<Phase, ArrayDeque<Trigger>> triggers = new EnumMap<>(Phase.class);
        boolean firing;

        Event() {
            for (Phase p : Phase.values()) {
                triggers.put(p, new ArrayDeque<>());
            }
        }
    }

    private final Map<String, Event> events = new HashMap<>();
    private final PhaseHook hook;
    private final BiConsumer<String, Throwable> errors;

    SystemEvents(PhaseHook hook, BiConsumer<String, Throwable> errors) {
        this.hook = hook;
        this.errors = errors;
    }

    TriggerId add(Phase phase, String event, SystemEventTrigger trigger) {
        TriggerId id = new TriggerId(phase, event);
        events.computeIfAbsent(event, e -> new Event()).triggers.get(phase).add(new Trigger(id, trigger));
        return id;
    }

    void remove(TriggerId id) {
        Event e = events.get(id.event());
        if (e != null) {
            for (Iterator<Trigger> it = e.triggers.get(id.phase()).iterator(); it.hasNext(); ) {
                if (it.next().id == id) {
                    it.remove();
                    return;
                }
            }
        }
        throw new IllegalArgumentException("no such system event trigger: " + id + " (already run or removed?)");
    }

    void fire(String event) {
        Event e = events.computeIfAbsent(event, k -> new Event());
        if (e.firing) {
            throw new IllegalStateException("system event '" + event + "' is already firing");
        }
        e.firing = true;
        hook.enter(event, Phase.BEFORE);
        ArrayDeque<Trigger> before = e.triggers.get(Phase.BEFORE);
        int[] pending = {1};
        Runnable oneDone = () -> {
            if (--pending[0] == 0) {
                continueFiring(event, e);
            }
        };
        Trigger t;
        while ((t = before.poll()) != null) {
            Deferred<?> d = runTrigger(event, Phase.BEFORE, t);
            if (d != null) {
                pending[0]++;
                String what = describe(event, Phase.BEFORE, t);
                d.addBoth((r, f) -> {
                    if (f != null) {
                        errors.accept("in the Deferred of " + what, f);
                    }
                    oneDone.run();
                    return null;
                });
            }
        }
        oneDone.run();
    }

    private void continueFiring(String event, Event e) {
        for (Phase phase : new Phase[] {Phase.DURING, Phase.AFTER}) {
            hook.enter(event, phase);
            ArrayDeque<Trigger> q = e.triggers.get(phase);
            Trigger t;
            while ((t = q.poll()) != null) {
                Deferred<?> d = runTrigger(event, phase, t);
                if (d != null) {
                    String what = describe(event, phase, t);
                    d.addErrback(f -> {
                        errors.accept("in the Deferred of " + what, f);
                        return null;
                    });
                }
            }
        }
        e.firing = false;
    }

    private Deferred<?> runTrigger(String event, Phase phase, Trigger t) {
        try {
            return t.body.fire();
        } catch (Throwable x) {
            errors.accept("in " + describe(event, phase, t), x);
            return null;
        }
    }

    private static String describe(String event, Phase phase, Trigger t) {
        return "system event trigger " + phase + " " + event + " (" + t.body + ")";
    }
}
