package dev.phyxius.process;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The identity of a process, stable for its whole life, across supervised restarts.
 *
 * @param value the identifier, non-blank
 * @since 0.1
 */
public record ProcessId(String value) {

    /**
     * Creates an identifier.
     *
     * @throws NullPointerException     if {@code value} is {@code null}
     * @throws IllegalArgumentException if {@code value} is blank
     */
    public ProcessId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("value must not be blank");
        }
    }

    /**
     * A new random identifier: 64 random bits in hexadecimal, unique with overwhelming
     * probability among the processes of one system.
     *
     * @return a fresh identifier
     */
    public static ProcessId random() {
        return fromBits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * The identifier that a 64-bit seed stands for; lets an implementation keep only the bits
     * and make the string when it is first asked for.
     *
     * @param bits the random bits
     * @return the identifier for {@code bits}
     */
    static ProcessId fromBits(long bits) {
        String hex = Long.toHexString(bits);
        return new ProcessId("0".repeat(16 - hex.length()) + hex);
    }

    @Override
    public String toString() {
        return value;
    }
}
