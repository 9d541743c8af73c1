package dev.phyxius.simulation.internal;

/**
 * How the log shows messages and reply values: a short rendering ({@link Render}), or only the
 * type when the options say that contents may be sensitive.
 */
final class MessageText {

    private final boolean contents;
    private final Asks asks;

    MessageText(boolean contents, Asks asks) {
        this.contents = contents;
        this.asks = asks;
    }

    /** A message, a reply value or anything else the user's code handed over. */
    String of(Object value) {
        if (value == null) {
            return "null";
        }
        return contents ? Render.value(value, asks::label) : Render.type(value.getClass());
    }
}
