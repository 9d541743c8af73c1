package dev.phyxius.simulation.internal;

import java.util.Optional;

/** Where user code called into Phyxius: the first frame outside the JDK, Phyxius and the simulation. */
final class CallSite {

    private static final StackWalker WALKER = StackWalker.getInstance();

    private CallSite() {}

    /** {@code Teller.java:42} for the calling thread, or empty text if every frame is library code. */
    static String ofCaller() {
        return WALKER.walk(frames -> frames.filter(frame -> isUserCode(frame.getClassName()))
                .findFirst()
                .map(frame -> at(frame.getFileName(), frame.getLineNumber(), frame.getClassName()))
                .orElse(""));
    }

    /** The same, from a stack trace (of a parked thread). */
    static String of(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (isUserCode(frame.getClassName())) {
                return at(frame.getFileName(), frame.getLineNumber(), frame.getClassName());
            }
        }
        return "";
    }

    private static String at(String file, int line, String className) {
        String name = Optional.ofNullable(file).orElse(className.substring(className.lastIndexOf('.') + 1));
        return line > 0 ? name + ":" + line : name;
    }

    private static boolean isUserCode(String className) {
        return !(className.startsWith("java.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("dev.phyxius.process.")
                || className.startsWith("dev.phyxius.clock.")
                || className.startsWith("dev.phyxius.supervisor.internal.")
                || className.startsWith("dev.phyxius.testing.internal.")
                || className.startsWith("dev.phyxius.simulation.internal.")
                || className.equals("dev.phyxius.simulation.Simulation")
                || className.startsWith("dev.phyxius.simulation.Simulation$"));
    }
}
