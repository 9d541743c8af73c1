package dev.phyxius.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina Counting ({@code benchmarks/count}): a producer actor sends {@value #MESSAGES} increments
 * to a counting actor from inside one handler, then asks for the result with
 * {@code Retrieve(self)}; the counter answers its count and exits, the producer checks it and
 * exits. Score: ms per run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SavinaCounting extends SavinaBenchmark {

    /** Savina's default {@code N}. */
    static final int MESSAGES = 1_000_000;

    enum Increment {
        INCREMENT
    }

    record Retrieve(Actors.Target sender) {}

    record Result(int count) {}

    static final class Producer implements Savina.Actor {
        private final Actors.Target counter;
        private final Savina.Run run;

        Producer(Actors.Target counter, Savina.Run run) {
            this.counter = counter;
            this.run = run;
        }

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message == Increment.INCREMENT) {
                for (int i = 0; i < MESSAGES; i++) {
                    counter.tell(message);
                }
                counter.tell(new Retrieve(self));
                return false;
            } else if (message instanceof Result result) {
                if (result.count() != MESSAGES) {
                    run.fail("expected " + MESSAGES + " increments, counted " + result.count());
                }
                return true;
            }
            throw new IllegalArgumentException("unexpected " + message);
        }
    }

    static final class Counter implements Savina.Actor {
        private int count;

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message == Increment.INCREMENT) {
                count++;
                return false;
            } else if (message instanceof Retrieve retrieve) {
                retrieve.sender().tell(new Result(count));
                return true;
            }
            throw new IllegalArgumentException("unexpected " + message);
        }
    }

    private Savina.Run run;
    private Actors.Target producer;

    @Override
    String name() {
        return "savina-counting";
    }

    @Override
    void prepare(Savina.Group group) {
        Savina.Run next = new Savina.Run(2);
        Actors.Target counter = group.spawn(next, 1, i -> new Counter())[0];
        producer = group.spawn(next, 1, i -> new Producer(counter, next))[0];
        run = next;
    }

    @Benchmark
    public void counting() throws InterruptedException {
        producer.tell(Increment.INCREMENT);
        run.await();
    }
}
