package dev.phyxius.simulation.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;

/**
 * The JDK's non-public seam for running virtual threads on a scheduler of our choosing: the
 * virtual thread builder's constructor that takes an {@link Executor}, which the JDK's own tests
 * use. Every continuation of a thread built this way (its first run and every resumption after a
 * park, a yield or a blocking call) is handed to that executor as a {@link Runnable}; running it
 * mounts the thread on the calling platform thread until it parks or ends.
 *
 * <p>Reaching it needs {@code --add-opens java.base/java.lang=<this module, or ALL-UNNAMED>}; the
 * error says exactly which flag.
 */
public final class VirtualThreadSeam {

    private static final MethodHandle BUILDER;
    private static final Field RUN_CONTINUATION;
    private static final RuntimeException UNAVAILABLE;

    static {
        MethodHandle builder = null;
        Field runContinuation = null;
        RuntimeException unavailable = null;
        try {
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> constructor = builderClass.getDeclaredConstructor(Executor.class);
            constructor.setAccessible(true);
            builder = MethodHandles.lookup()
                    .unreflectConstructor(constructor)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            runContinuation = Class.forName("java.lang.VirtualThread").getDeclaredField("runContinuation");
            runContinuation.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Module module = VirtualThreadSeam.class.getModule();
            String target = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            unavailable = new IllegalStateException(
                    "Simulation cannot reach the JDK's virtual thread scheduler"
                            + " (java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)); run the JVM with"
                            + " --add-opens java.base/java.lang=" + target + " (JDK " + Runtime.version() + "): " + e,
                    e);
        }
        BUILDER = builder;
        RUN_CONTINUATION = runContinuation;
        UNAVAILABLE = unavailable;
    }

    private VirtualThreadSeam() {}

    /** Fails with the flag to add if the seam cannot be reached on this JVM. */
    public static void check() {
        if (UNAVAILABLE != null) {
            throw UNAVAILABLE;
        }
    }

    /** A new builder of virtual threads whose continuations all go to {@code scheduler}. */
    public static Thread.Builder.OfVirtual builder(Executor scheduler) {
        check();
        try {
            return (Thread.Builder.OfVirtual) BUILDER.invokeExact(scheduler);
        } catch (Throwable e) {
            throw new IllegalStateException("could not build a virtual thread on the simulation's scheduler", e);
        }
    }

    /** The runnable that the thread hands its scheduler each time it is ready to run. */
    public static Runnable continuationOf(Thread thread) {
        check();
        try {
            return (Runnable) RUN_CONTINUATION.get(thread);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("could not read a virtual thread's continuation", e);
        }
    }
}
