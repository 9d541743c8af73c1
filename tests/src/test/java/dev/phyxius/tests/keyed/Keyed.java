package dev.phyxius.tests.keyed;

import dev.phyxius.clock.EventSink;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.testing.ProcessTestKit;

/** What the keyed tests share: options wired to a kit, and waiting for a key's state. */
final class Keyed {

    private Keyed() {}

    /**
     * Options on the kit's clock and sink whose supervisors the kit makes and tracks, so that
     * {@code kit.awaitIdle()} waits for the keys' processes too.
     */
    static KeyedOptions<Object> options(ProcessTestKit kit) {
        EventSink journal = kit.options().events().orElseThrow();
        return KeyedOptions.of(kit.clock()).withEvents(journal).withSupervisors(kit::supervisor);
    }

    /**
     * Waits until {@code key} is in {@code state}: a key comes to life on a thread of the group, so
     * the kit cannot know it is busy before its process exists.
     */
    static <K> void awaitState(ProcessTestKit kit, KeyedProcesses<K, ?> group, K key, KeyedProcesses.KeyState state) {
        kit.awaitCondition(key + " " + state + " (is " + group.state(key) + ")", () -> group.state(key) == state);
    }

    /** Waits until {@code key} is live, then until everything the kit tracks is at rest. */
    static <K> void awaitLive(ProcessTestKit kit, KeyedProcesses<K, ?> group, K key) {
        awaitState(kit, group, key, KeyedProcesses.KeyState.LIVE);
        kit.awaitIdle();
    }
}
