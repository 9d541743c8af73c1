package dev.phyxius.observability.micrometer;

import dev.phyxius.observability.internal.NameTable;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.SendResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The meters of keyed groups, fed by {@link KeyedEvent}s and by the end of their processes. Every
 * meter is tagged {@code group} (the group's name) and at most one bounded enum tag; never the
 * key, which is as unbounded as the users, devices or carts it names.
 *
 * <p>The {@code phyxius.keyed.live} gauge counts the keys whose process was activated and has not
 * ended: an {@code Activated} adds the key's process id, and the process's end takes it away
 * whatever ended it (a {@code Passivated}, a {@code GaveUp}, the process's own {@code Stopped}
 * after a stop by hand, or {@code GroupStopped} for all of them). Two keys whose {@code toString}
 * agree share a process id and count once.
 *
 * <p>Thread-safe. Only {@link PhyxiusMetrics} uses it, after it is bound to a registry.
 */
final class KeyedMeters {

    static final String ACTIVATIONS = "phyxius.keyed.activations";
    static final String PASSIVATIONS = "phyxius.keyed.passivations";
    static final String EVICTIONS = "phyxius.keyed.evictions";
    static final String GIVEUPS = "phyxius.keyed.giveups";
    static final String MESSAGES = "phyxius.keyed.messages";
    static final String LIVE = "phyxius.keyed.live";

    private static final String TAG_GROUP = "group";
    private static final String TAG_OUTCOME = "outcome";
    private static final String TAG_CAUSE = "cause";
    private static final String TAG_REASON = "reason";

    private final NameTable<Group> groups;
    /** The process of every live key, and the group that counts it. */
    private final ConcurrentHashMap<ProcessId, Group> lives = new ConcurrentHashMap<>();

    KeyedMeters(int maxGroups, Consumer<String> limitReached) {
        this.groups = new NameTable<>(maxGroups, Group::new, limitReached);
    }

    /** Records what a keyed event says. */
    void emit(MeterRegistry r, KeyedEvent event) {
        Group g = group(r, event.group());
        switch (event) {
            case KeyedEvent.Activated e -> {
                g.activated.increment();
                if (lives.put(e.process(), g) == null) {
                    g.live.incrementAndGet();
                }
            }
            case KeyedEvent.ActivationFailed e -> g.activationFailed.increment();
            case KeyedEvent.Evicted e -> g.evictions.increment();
            case KeyedEvent.Passivated e -> {
                g.passivated(e.cause()).increment();
                ended(e.process());
            }
            case KeyedEvent.GaveUp e -> {
                g.giveups.increment();
                ended(e.process());
            }
            case KeyedEvent.MessageDropped e -> g.dropped(e.reason()).increment();
            case KeyedEvent.MessageRejected e -> g.rejected(e.reason()).increment();
            case KeyedEvent.GroupStopped e -> {
                // Rare, so a walk over the live keys is fine: the group's processes (ids "group/key")
                // are all gone. Only its own, since groups beyond the limit share one entry.
                String prefix = e.group() + "/";
                for (ProcessId process : lives.keySet()) {
                    if (lives.get(process) == g && process.value().startsWith(prefix)) {
                        ended(process);
                    }
                }
            }
        }
    }

    /** A process ended: if it was a key's, the key is no longer live. */
    void processEnded(ProcessEvent.Stopped event) {
        if (!lives.isEmpty()) {
            ended(event.id());
        }
    }

    private void ended(ProcessId process) {
        Group g = lives.remove(process);
        if (g != null) {
            g.live.decrementAndGet();
        }
    }

    private Group group(MeterRegistry r, String name) {
        Group g = groups.get(name);
        if (g.registry == null) {
            g.register(r);
        }
        return g;
    }

    private static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The meters of one group; counters with an enum tag are made on first use, one per value. */
    private static final class Group extends NameTable.Entry {
        volatile MeterRegistry registry;
        final AtomicInteger live = new AtomicInteger();
        Counter activated;
        Counter activationFailed;
        Counter evictions;
        Counter giveups;
        private final EnumCounters<KeyedEvent.PassivationCause> passivations = new EnumCounters<>(
                KeyedEvent.PassivationCause.class,
                cause -> Counter.builder(PASSIVATIONS)
                        .description("Lives of keys of this group that ended passivated, by why the group let them go")
                        .baseUnit("keys")
                        .tags(TAG_GROUP, name(), TAG_CAUSE, tagValue(cause))
                        .register(registry));
        private final EnumCounters<KeyedEvent.DropReason> dropped =
                new EnumCounters<>(KeyedEvent.DropReason.class, reason -> messages("dropped", tagValue(reason)));
        private final EnumCounters<SendResult> rejected =
                new EnumCounters<>(SendResult.class, reason -> messages("rejected", tagValue(reason)));

        Group(String name) {
            super(name);
        }

        synchronized void register(MeterRegistry r) {
            if (registry != null) {
                return;
            }
            activated = activations(r, "activated");
            activationFailed = activations(r, "failed");
            evictions = Counter.builder(EVICTIONS)
                    .description("Live keys of this group chosen to passivate because it had more than its maximum")
                    .baseUnit("keys")
                    .tag(TAG_GROUP, name())
                    .register(r);
            giveups = Counter.builder(GIVEUPS)
                    .description("Times the supervisor gave up on a key's process of this group")
                    .tag(TAG_GROUP, name())
                    .register(r);
            Gauge.builder(LIVE, live, AtomicInteger::get)
                    .description("Keys of this group whose process was activated and has not ended")
                    .baseUnit("keys")
                    .tag(TAG_GROUP, name())
                    .strongReference(true)
                    .register(r);
            // Published last: a thread that sees the registry sees every meter above.
            registry = r;
        }

        private Counter activations(MeterRegistry r, String outcome) {
            return Counter.builder(ACTIVATIONS)
                    .description("Keys of this group that came to life, or whose activation failed")
                    .baseUnit("keys")
                    .tags(TAG_GROUP, name(), TAG_OUTCOME, outcome)
                    .register(r);
        }

        Counter passivated(KeyedEvent.PassivationCause cause) {
            return passivations.get(cause);
        }

        Counter dropped(KeyedEvent.DropReason reason) {
            return dropped.get(reason);
        }

        Counter rejected(SendResult reason) {
            return rejected.get(reason);
        }

        private Counter messages(String outcome, String reason) {
            return Counter.builder(MESSAGES)
                    .description("Messages for keys of this group that the group itself dropped or refused")
                    .baseUnit("messages")
                    .tags(TAG_GROUP, name(), TAG_OUTCOME, outcome, TAG_REASON, reason)
                    .register(registry);
        }
    }
}
