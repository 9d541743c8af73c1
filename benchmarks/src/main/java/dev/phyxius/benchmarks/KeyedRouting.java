package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keyed routing: one sender sends 1,000,000 messages addressed by key to {@link #keys} keys, each
 * key's process (or actor) counting its own, 10 per key per invocation in a random order that
 * changes every round; an invocation ends when every key has handled its 10. The first
 * invocation starts every key; later ones route to live keys. Score: messages per second.
 *
 * <ul>
 *   <li>{@code keyed}: {@link KeyedProcesses#send} (no idle timeout, no bound);</li>
 *   <li>{@code keyed-lru}: the same with a bound on live keys equal to their number, so each send
 *       also keeps the least-recently-used order (nothing is ever evicted);</li>
 *   <li>{@code map}: what one writes by hand, a {@code ConcurrentHashMap} of Phyxius refs filled by
 *       {@code Processes.spawn} on a miss (no passivation, no supervision);</li>
 *   <li>{@code pekko}: Pekko typed, one router actor with one child actor per key, spawned on the
 *       key's first message, each message wrapped in an envelope with its key (what a Pekko shard
 *       region does, without the cluster).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class KeyedRouting {

    static final int MESSAGES = 1_000_000;

    @Param({"keyed", "keyed-lru", "map", "pekko"})
    public String impl;

    @Param({"100000"})
    public int keys;

    /** The round's latch: every key counts it down once it has handled its share. */
    static volatile CountDownLatch round;

    /** Counts a key's messages and counts down the round at each {@code each}-th. */
    static final class KeyCounter implements Actors.Logic {
        private final int each;
        private long count;

        KeyCounter(int each) {
            this.each = each;
        }

        @Override
        public void on(Object message) {
            if (++count % each == 0) {
                round.countDown();
            }
        }
    }

    /** The sending side of each system. */
    interface Router extends AutoCloseable {
        void send(String key, Object message);
    }

    /** A message for the Pekko router: which child, and what for it. */
    record Routed(String key, Object message) {}

    private String[] names;
    private int[][] orders;
    private int nextOrder;
    private Router router;

    @Setup(Level.Trial)
    public void setUp() {
        if (keys <= 0 || MESSAGES % keys != 0) {
            throw new IllegalArgumentException("keys must divide " + MESSAGES + ", was " + keys);
        }
        int each = MESSAGES / keys;
        names = new String[keys];
        for (int k = 0; k < keys; k++) {
            names[k] = "key-" + k;
        }
        // A few precomputed orders, used in turn: every key gets exactly `each` messages per
        // invocation, spread at random.
        Random random = new Random(20_261_125L);
        orders = new int[4][];
        for (int o = 0; o < orders.length; o++) {
            List<Integer> order = new ArrayList<>(MESSAGES);
            for (int round = 0; round < each; round++) {
                for (int k = 0; k < keys; k++) {
                    order.add(k);
                }
            }
            Collections.shuffle(order, random);
            orders[o] = order.stream().mapToInt(Integer::intValue).toArray();
        }
        router = switch (impl) {
            case "keyed" -> keyed(each, false);
            case "keyed-lru" -> keyed(each, true);
            case "map" -> map(each);
            case "pekko" -> pekko(each);
            default -> throw new IllegalArgumentException("impl must be keyed, keyed-lru, map or pekko, was " + impl);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        router.close();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void route() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(keys);
        round = done;
        int[] order = orders[nextOrder++ % orders.length];
        String[] keyNames = names;
        Router r = router;
        for (int k : order) {
            r.send(keyNames[k], Messages.TICK);
        }
        done.await();
    }

    private Router keyed(int each, boolean bounded) {
        ProcessSpec<Object, Actors.Logic, Void> spec =
                Actors.phyxiusSpec("keyed", () -> new KeyCounter(each), Actors.BIG_INBOX);
        KeyedOptions<Object> options = KeyedOptions.of(Actors.CLOCK).withoutIdleTimeout();
        KeyedProcesses<String, Object> group =
                KeyedProcesses.create("keyed", key -> spec, bounded ? options.withMaxLiveKeys(keys) : options);
        return new Router() {
            @Override
            public void send(String key, Object message) {
                if (!group.send(key, message)) {
                    throw new IllegalStateException("the keyed group refused a message for " + key);
                }
            }

            @Override
            public void close() {
                group.close();
            }
        };
    }

    private Router map(int each) {
        ProcessSpec<Object, Actors.Logic, Void> spec =
                Actors.phyxiusSpec("mapped", () -> new KeyCounter(each), Actors.BIG_INBOX);
        Map<String, ProcessRef<Object>> refs = new ConcurrentHashMap<>();
        return new Router() {
            @Override
            public void send(String key, Object message) {
                ProcessRef<Object> ref = refs.get(key);
                if (ref == null) {
                    ref = refs.computeIfAbsent(key, k -> Actors.spawnPhyxius(spec));
                }
                if (!ref.send(message)) {
                    throw new IllegalStateException("phyxius refused a message for " + key);
                }
            }

            @Override
            public void close() {
                Actors.stopAll(refs.values().toArray(ProcessRef<?>[]::new));
            }
        };
    }

    private Router pekko(int each) {
        ActorSystem<Actors.GuardianCommand> system = Actors.pekko("keyed-routing");
        ActorRef<Object> routerActor = Actors.spawnPekko(system, pekkoRouter(each));
        return new Router() {
            @Override
            public void send(String key, Object message) {
                routerActor.tell(new Routed(key, message));
            }

            @Override
            public void close() throws Exception {
                Actors.terminate(system);
            }
        };
    }

    /** One child per key, spawned on the key's first message; the map is the router's own state. */
    static Behavior<Object> pekkoRouter(int each) {
        return Behaviors.setup(context -> {
            Map<String, ActorRef<Object>> children = new HashMap<>();
            return Behaviors.receive((ctx, message) -> {
                Routed routed = (Routed) message;
                ActorRef<Object> child = children.get(routed.key());
                if (child == null) {
                    child = ctx.spawnAnonymous(Actors.pekkoBehavior(() -> new KeyCounter(each)));
                    children.put(routed.key(), child);
                }
                child.tell(routed.message());
                return Behaviors.same();
            });
        });
    }
}
