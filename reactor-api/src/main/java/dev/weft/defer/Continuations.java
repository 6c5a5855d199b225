package dev.weft.defer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Access to the JDK's one-shot delimited continuations, {@code jdk.internal.vm.Continuation} (JDK 21+, the mechanism
 * under virtual threads), through method handles: the build targets JDK 17 and has no compile-time reference to
 * the class. The package {@code jdk.internal.vm} is not exported, so the JVM must be started with
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (class path) or {@code =dev.weft.reactor} (module
 * path); {@link #load()} says which flag is missing. Immutable; any thread.
 */
final class Continuations {
    private final Object scope;
    private final MethodHandle create;
    private final MethodHandle run;
    private final MethodHandle yield;
    private final MethodHandle isDone;

    private Continuations(Object scope, MethodHandle create, MethodHandle run, MethodHandle yield,
            MethodHandle isDone) {
        this.scope = scope;
        this.create = create;
        this.run = run;
        this.yield = yield;
        this.isDone = isDone;
    }

    /**
     * The JVM flag that makes the continuation class accessible to this module.
     *
     * @return e.g. {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}
     */
    static String requiredFlag() {
        Module m = Continuations.class.getModule();
        return "--add-exports java.base/jdk.internal.vm=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    /**
     * Finds the continuation class and its methods. Any thread.
     *
     * @return the access
     * @throws IllegalStateException if the JDK has no continuations (before 21) or the package is not exported to
     *                               this module (the message names the flag to add)
     */
    static Continuations load() {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException(CoroutineMode.PROPERTY + "=continuation needs JDK 21 or later; this is JDK "
                    + Runtime.version().feature() + " (remove the property to run bodies on threads)");
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            Object scope = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("weft-coroutines");
            MethodHandle create = lookup.findConstructor(contClass,
                    MethodType.methodType(void.class, scopeClass, Runnable.class));
            MethodHandle run = lookup.findVirtual(contClass, "run", MethodType.methodType(void.class));
            MethodHandle yield = lookup.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass));
            MethodHandle isDone = lookup.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class));
            return new Continuations(scope,
                    create.asType(MethodType.methodType(Object.class, Object.class, Runnable.class)),
                    run.asType(MethodType.methodType(void.class, Object.class)),
                    yield.asType(MethodType.methodType(boolean.class, Object.class)),
                    isDone.asType(MethodType.methodType(boolean.class, Object.class)));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(CoroutineMode.PROPERTY + "=continuation needs the JVM flag "
                    + requiredFlag() + " (or remove the property to run bodies on threads)", e);
        } catch (Throwable e) {
            throw new IllegalStateException(CoroutineMode.PROPERTY + "=continuation: this JVM's "
                    + "jdk.internal.vm.Continuation is not usable (" + e + "); remove the property to run bodies on "
                    + "threads", e);
        }
    }

    /**
     * A new continuation that runs {@code target} when first run. Any thread.
     *
     * @param target the code to run inside it
     * @return the continuation (a {@code jdk.internal.vm.Continuation})
     */
    Object create(Runnable target) {
        try {
            return create.invokeExact(scope, target);
        } catch (Throwable t) {
            throw sneaky(t);
        }
    }

    /**
     * Mounts {@code continuation} on the calling thread and runs it until it yields or ends.
     *
     * @param continuation from {@link #create}
     */
    void run(Object continuation) {
        try {
            run.invokeExact(continuation);
        } catch (Throwable t) {
            throw sneaky(t);
        }
    }

    /**
     * Suspends the innermost Weft continuation mounted on the calling thread; returns when it is run again (perhaps
     * on another thread). On the continuation's thread.
     *
     * @throws IllegalStateException if the JVM cannot suspend it here: the JDK's message starts with "Pinned:" and
     *                               names the reason (a monitor held on JDK 21-23, a native frame, a critical
     *                               section)
     */
    void yieldNow() {
        boolean yielded;
        try {
            yielded = (boolean) yield.invokeExact(scope);
        } catch (Throwable t) {
            throw sneaky(t);
        }
        if (!yielded) {
            throw new IllegalStateException("Pinned: the JVM refused to suspend the continuation");
        }
    }

    /**
     * Whether {@code continuation} has ended.
     *
     * @param continuation from {@link #create}
     * @return true once its target has returned or thrown
     */
    boolean isDone(Object continuation) {
        try {
            return (boolean) isDone.invokeExact(continuation);
        } catch (Throwable t) {
            throw sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
