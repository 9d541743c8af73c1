package dev.phyxius.observability.observation;

import dev.phyxius.observability.observation.PhyxiusObservationDocumentation.HighCardinalityKeyNames;
import dev.phyxius.observability.observation.PhyxiusObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The convention Phyxius uses unless given another: the names and keys that
 * {@link PhyxiusObservationDocumentation#MESSAGE_PROCESS} documents.
 *
 * <table>
 *   <caption>Message observation</caption>
 *   <tr><th>name</th><td>{@value #NAME} (with Micrometer's meter handler: a timer of that name and a
 *       long task timer {@value #NAME}{@code .active})</td></tr>
 *   <tr><th>contextual name</th><td>{@code process {process name}}: the span name, as with
 *       {@code PhyxiusTracing}</td></tr>
 *   <tr><th>low cardinality</th><td>{@code messaging.system=phyxius},
 *       {@code messaging.operation.name=process}, {@code messaging.operation.type=process},
 *       {@code messaging.destination.name={process name}}, {@code phyxius.message.type={class simple name}}</td></tr>
 *   <tr><th>high cardinality</th><td>{@code phyxius.process.id={process id}}</td></tr>
 * </table>
 * A handler that throws is recorded as the observation's error, which Micrometer's own handlers
 * turn into the timer's {@code error} tag and the span's error status. Message contents and
 * {@code toString()} never become key values.
 *
 * <p>Extend it to add or change keys, keeping the rest:
 * <pre>{@code
 * class TenantConvention extends DefaultProcessObservationConvention {
 *     public KeyValues getLowCardinalityKeyValues(ProcessObservationContext context) {
 *         return super.getLowCardinalityKeyValues(context).and("tenant", tenantOf(context.message()));
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Its only state is a cache of contextual names per process name.
 *
 * @since 0.1
 */
public class DefaultProcessObservationConvention implements ProcessObservationConvention {

    /** The observation's name. */
    public static final String NAME = "phyxius.message.process";

    private static final String SYSTEM = "phyxius";
    private static final String OPERATION = "process";

    /** Message type names, computed once per class: getSimpleName walks the class's metadata. */
    private static final ClassValue<String> MESSAGE_TYPES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String simple = type.getSimpleName();
            return simple.isEmpty() ? type.getName() : simple;
        }
    };

    /** Contextual names per process name, so an observed message does not concatenate a new string. */
    private final ConcurrentHashMap<String, String> contextualNames = new ConcurrentHashMap<>();

    /** A convention with the default names; also what subclasses call. */
    public DefaultProcessObservationConvention() {}

    /**
     * {@value #NAME}.
     *
     * @return the observation's name
     */
    @Override
    public String getName() {
        return NAME;
    }

    /**
     * {@code process {process name}}.
     *
     * @param context the message's context
     * @return the contextual name
     */
    @Override
    public String getContextualName(ProcessObservationContext context) {
        return contextualNames.computeIfAbsent(context.processName(), name -> OPERATION + " " + name);
    }

    /**
     * The messaging keys, the process name and the message type.
     *
     * @param context the message's context
     * @return the low-cardinality key values
     */
    @Override
    public KeyValues getLowCardinalityKeyValues(ProcessObservationContext context) {
        return KeyValues.of(
                LowCardinalityKeyNames.MESSAGING_SYSTEM.withValue(SYSTEM),
                LowCardinalityKeyNames.MESSAGING_OPERATION_NAME.withValue(OPERATION),
                LowCardinalityKeyNames.MESSAGING_OPERATION_TYPE.withValue(OPERATION),
                LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME.withValue(context.processName()),
                LowCardinalityKeyNames.MESSAGE_TYPE.withValue(
                        MESSAGE_TYPES.get(context.message().getClass())));
    }

    /**
     * The process id.
     *
     * @param context the message's context
     * @return the high-cardinality key values
     */
    @Override
    public KeyValues getHighCardinalityKeyValues(ProcessObservationContext context) {
        return KeyValues.of(
                HighCardinalityKeyNames.PROCESS_ID.withValue(context.processId().value()));
    }
}
