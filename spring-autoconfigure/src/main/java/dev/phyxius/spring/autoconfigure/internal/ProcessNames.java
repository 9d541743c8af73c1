package dev.phyxius.spring.autoconfigure.internal;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Turns a property's list of process names into a matcher. Not part of the API. */
public final class ProcessNames {

    private ProcessNames() {}

    /**
     * A matcher for {@code names}: none for an empty list, every name if it holds {@code "*"},
     * else exactly the names listed (surrounding blanks ignored).
     *
     * @param names the property's value
     * @return a cheap, thread-safe matcher
     */
    public static Predicate<String> matcher(List<String> names) {
        Set<String> set = Set.copyOf(names.stream()
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList());
        if (set.isEmpty()) {
            return name -> false;
        }
        if (set.contains("*")) {
            return name -> true;
        }
        return set::contains;
    }
}
