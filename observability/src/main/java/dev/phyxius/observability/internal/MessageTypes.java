package dev.phyxius.observability.internal;

/**
 * The names tags and fields use for a class: its simple name, or its full name where it has none
 * (an anonymous or hidden class). Computed once per class: {@code getSimpleName} walks the
 * class's metadata.
 */
public final class MessageTypes {

    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String simple = type.getSimpleName();
            return simple.isEmpty() ? type.getName() : simple;
        }
    };

    private MessageTypes() {}

    /**
     * The name of {@code type} for a tag.
     *
     * @param type a class
     * @return its simple name, or its name if it has no simple name
     */
    public static String name(Class<?> type) {
        return NAMES.get(type);
    }
}
