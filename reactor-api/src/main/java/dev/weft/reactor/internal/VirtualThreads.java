package dev.weft.reactor.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads where the JDK has them (21+), found through {@code MethodHandles} so that the release-17 build
 * needs no flag. Any thread.
 */
public final class VirtualThreads {
    private VirtualThreads() {
    }

    /**
     * A factory of virtual threads named {@code prefix} followed by 1, 2, ...; null on a JDK without virtual threads.
     *
     * @param prefix the start of each thread's name
     * @return the factory, or null before JDK 21
     */
    public static ThreadFactory factory(String prefix) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle create = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle name = lookup.findVirtual(builder, "name",
                    MethodType.methodType(builder, String.class, long.class));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            Object b = name.invoke(create.invoke(), prefix, 1L);
            return (ThreadFactory) factory.invoke(b);
        } catch (Throwable e) {
            return null;
        }
    }
}
