package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Workload 6b: retained heap per idle process. Spawns N processes, sends each one message (so each
 * has run once and gone idle, as a real process would), forces GC and compares used heap before
 * and after. The array holding the refs is allocated before the first reading, so it is not
 * counted. Run: {@code java -Xms4g -Xmx4g -XX:+UseG1GC -cp benchmarks.jar
 * dev.phyxius.benchmarks.RetainedHeap phyxius|pekko N}; prints one CSV line
 * {@code impl,processes,bytesPerProcess}.
 */
public final class RetainedHeap {

    private RetainedHeap() {}

    public static void main(String[] args) throws Exception {
        String impl = args.length > 0 ? args[0] : "phyxius";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Object[] keep = new Object[count];
        CountDownLatch handled = new CountDownLatch(count);
        ActorSystem<Actors.GuardianCommand> system = null;
        ActorRef<Object> parent = null;
        if (impl.equals("pekko")) {
            system = Actors.pekko("retained");
            parent = Actors.spawnPekko(system, Behaviors.receive((context, message) -> {
                ((CompletableFuture<ActorRef<Object>>) message)
                        .complete(context.spawnAnonymous(Actors.pekkoBehavior(SpawnRate.FirstMessage::new)));
                return Behaviors.same();
            }));
        }
        // Warm up the code paths and the system itself before the first reading.
        long before = usedAfterGc();
        if (system == null) {
            var spec = Actors.phyxiusSpec("idle", SpawnRate.FirstMessage::new, 1024);
            for (int i = 0; i < count; i++) {
                ProcessRef<Object> ref = Actors.spawnPhyxius(spec);
                ref.send(handled);
                keep[i] = ref;
            }
        } else {
            // Spawned in batches through one parent, as an application would.
            for (int i = 0; i < count; i++) {
                CompletableFuture<ActorRef<Object>> spawned = new CompletableFuture<>();
                parent.tell(spawned);
                ActorRef<Object> ref = spawned.join();
                ref.tell(handled);
                keep[i] = ref;
            }
        }
        handled.await();
        Thread.sleep(500); // let every drain release its thread
        long after = usedAfterGc();
        double perProcess = (after - before) / (double) count;
        System.out.printf(Locale.ROOT, "%s,%d,%.0f%n", impl, count, perProcess);
        if (keep.length > 0 && keep[count - 1] == null) {
            throw new AssertionError("unreachable: keeps the refs alive until after the reading");
        }
        if (system != null) {
            Actors.terminate(system);
        }
        System.exit(0);
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
