package dev.phyxius.observability.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations Phyxius makes and their keys, in the form Micrometer's documentation tooling
 * reads. The names here are those of {@link DefaultProcessObservationConvention}; a custom
 * convention may use others.
 *
 * @since 0.1
 */
public enum PhyxiusObservationDocumentation implements ObservationDocumentation {

    /**
     * One message handled by a process: started on the process's thread just before the handler
     * runs, stopped right after it returned or threw (the error is recorded). Its parent is the
     * observation that was current on the sender's thread when it sent the message.
     *
     * <p>Name {@value DefaultProcessObservationConvention#NAME}; contextual name (the span's name)
     * {@code process {process name}}.
     */
    MESSAGE_PROCESS {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultProcessObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    };

    /**
     * Keys with a bounded set of values, fit for meter tags. The first four follow OpenTelemetry's
     * messaging semantic conventions, so spans made through Micrometer Tracing carry the same
     * attributes as those of {@code PhyxiusTracing}.
     *
     * @since 0.1
     */
    public enum LowCardinalityKeyNames implements KeyName {

        /** {@code messaging.system}: always {@code phyxius}. */
        MESSAGING_SYSTEM("messaging.system"),

        /** {@code messaging.operation.name}: always {@code process}. */
        MESSAGING_OPERATION_NAME("messaging.operation.name"),

        /** {@code messaging.operation.type}: always {@code process}. */
        MESSAGING_OPERATION_TYPE("messaging.operation.type"),

        /** {@code messaging.destination.name}: the process's name (never its id). */
        MESSAGING_DESTINATION_NAME("messaging.destination.name"),

        /** {@code phyxius.message.type}: the message's class simple name (its name if it has none). */
        MESSAGE_TYPE("phyxius.message.type");

        private final String key;

        LowCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /**
     * Keys whose values are unbounded, for spans and logs only.
     *
     * @since 0.1
     */
    public enum HighCardinalityKeyNames implements KeyName {

        /** {@code phyxius.process.id}: the process's id. */
        PROCESS_ID("phyxius.process.id");

        private final String key;

        HighCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }
}
