package dev.phyxius.kafka.internal;

/**
 * The member's meters, or nothing. Kept behind an interface so that Micrometer's classes are
 * loaded only when meters were asked for.
 */
interface FeedMeters {

    /** Does nothing. */
    FeedMeters NONE = new FeedMeters() {
        @Override
        public void assigned(PartitionState partition) {}

        @Override
        public void revoked(PartitionState partition) {}

        @Override
        public void deadLettered() {}

        @Override
        public void close() {}
    };

    /** A partition was assigned: its lag gauge appears. */
    void assigned(PartitionState partition);

    /** A partition was let go: its lag gauge goes. */
    void revoked(PartitionState partition);

    /** A record went to the dead-letter topic. */
    void deadLettered();

    /** The member stopped: every meter goes. */
    void close();
}
