package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Retained heap per live key and per passivated key. Starts N keys by sending each one message (so
 * each has run once and gone idle), forces GC and compares used heap with the reading taken
 * before; then lets every key go (the keyed group releases them; the map and the Pekko router
 * stop their processes and forget them) and reads again. The key strings are made before the first
 * reading, so only what a system keeps per key is counted. Run: {@code java -Xms4g -Xmx4g
 * -XX:+UseG1GC -cp benchmarks.jar dev.phyxius.benchmarks.KeyedHeap keyed|keyed-lru|map|pekko N};
 * prints one CSV line {@code impl,keys,bytesPerLiveKey,bytesPerPassivatedKey}.
 */
public final class KeyedHeap {

    private KeyedHeap() {}

    /** Asks the Pekko router to stop every child and forget it; completes once all are gone. */
    record LetAllGo(CompletableFuture<Void> done) {}

    /** A child of the Pekko router has stopped. */
    record Gone(String key) {}

    public static void main(String[] args) throws Exception {
        String impl = args.length > 0 ? args[0] : "keyed";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = "key-" + i;
        }
        CountDownLatch handled = new CountDownLatch(count);
        Runnable letGo;
        long before;
        long live;
        switch (impl) {
            case "keyed", "keyed-lru" -> {
                ProcessSpec<Object, Actors.Logic, Void> spec =
                        Actors.phyxiusSpec("keyed", SpawnRate.FirstMessage::new, 1024);
                KeyedOptions<Object> options = KeyedOptions.of(Actors.CLOCK).withoutIdleTimeout();
                KeyedProcesses<String, Object> group = KeyedProcesses.create(
                        "keyed", key -> spec, impl.equals("keyed-lru") ? options.withMaxLiveKeys(count) : options);
                before = usedAfterGc();
                for (String key : keys) {
                    group.send(key, handled);
                }
                handled.await();
                live = settledUsed();
                letGo = () -> {
                    group.release(key -> true, "measured").join();
                    while (group.liveCount() > 0 || group.state(keys[count - 1]) != KeyedProcesses.KeyState.ABSENT) {
                        Thread.onSpinWait();
                    }
                };
            }
            case "map" -> {
                ProcessSpec<Object, Actors.Logic, Void> spec =
                        Actors.phyxiusSpec("mapped", SpawnRate.FirstMessage::new, 1024);
                Map<String, ProcessRef<Object>> refs = new ConcurrentHashMap<>();
                before = usedAfterGc();
                for (String key : keys) {
                    refs.computeIfAbsent(key, k -> Actors.spawnPhyxius(spec)).send(handled);
                }
                handled.await();
                live = settledUsed();
                letGo = () -> {
                    Actors.stopAll(refs.values().toArray(ProcessRef<?>[]::new));
                    refs.clear();
                };
            }
            case "pekko" -> {
                ActorSystem<Actors.GuardianCommand> system = Actors.pekko("keyed-heap");
                ActorRef<Object> router = Actors.spawnPekko(system, router());
                before = usedAfterGc();
                for (String key : keys) {
                    router.tell(new KeyedRouting.Routed(key, handled));
                }
                handled.await();
                live = settledUsed();
                letGo = () -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    router.tell(new LetAllGo(done));
                    done.join();
                };
            }
            default -> throw new IllegalArgumentException("impl must be keyed, keyed-lru, map or pekko, was " + impl);
        }
        letGo.run();
        long passivated = settledUsed();
        System.out.printf(
                Locale.ROOT,
                "%s,%d,%.0f,%.1f%n",
                impl,
                count,
                (live - before) / (double) count,
                (passivated - before) / (double) count);
        if (keys[count - 1] == null) {
            throw new AssertionError("unreachable: keeps the keys alive until after the readings");
        }
        System.exit(0);
    }

    /** The router of {@link KeyedRouting}, able to let all its children go. */
    static Behavior<Object> router() {
        return Behaviors.setup(context -> {
            Map<String, ActorRef<Object>> children = new HashMap<>();
            CompletableFuture<?>[] waiting = new CompletableFuture<?>[1];
            return Behaviors.receive((ctx, message) -> {
                if (message instanceof KeyedRouting.Routed routed) {
                    ActorRef<Object> child = children.get(routed.key());
                    if (child == null) {
                        child = ctx.spawnAnonymous(Actors.pekkoBehavior(SpawnRate.FirstMessage::new));
                        children.put(routed.key(), child);
                    }
                    child.tell(routed.message());
                } else if (message instanceof LetAllGo letGo) {
                    waiting[0] = letGo.done();
                    for (Map.Entry<String, ActorRef<Object>> child : children.entrySet()) {
                        ctx.watchWith(child.getValue(), new Gone(child.getKey()));
                        ctx.stop(child.getValue());
                    }
                    if (children.isEmpty()) {
                        letGo.done().complete(null);
                    }
                } else if (message instanceof Gone gone) {
                    children.remove(gone.key());
                    if (children.isEmpty()) {
                        waiting[0].complete(null);
                    }
                }
                return Behaviors.same();
            });
        });
    }

    /** Used heap once every drain has released its thread. */
    private static long settledUsed() throws InterruptedException {
        Thread.sleep(500);
        return usedAfterGc();
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
