package dev.phyxius.process;

import java.util.HexFormat;
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
        return new ProcessId(
                HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    @Override
    public String toString() {
        return value;
    }
}
