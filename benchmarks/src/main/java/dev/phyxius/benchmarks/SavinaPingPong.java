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
 * Savina PingPong ({@code benchmarks/pingpong}): a ping actor and a pong actor exchange
 * {@value #PINGS} pings. Ping sends {@code SendPing(self)}; pong answers {@code SendPong(self)};
 * ping then sends itself {@code PING}, which sends the next ping (three messages per round trip,
 * as in Savina). After the last pong, ping sends {@code STOP} and both exit. Score: ms per run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SavinaPingPong extends SavinaBenchmark {

    /** Savina's default {@code N}. */
    static final int PINGS = 40_000;

    enum Signal {
        START,
        PING,
        STOP
    }

    record SendPing(Actors.Target sender) {}

    record SendPong(Actors.Target sender) {}

    static final class Ping implements Savina.Actor {
        private final Actors.Target pong;
        private int pingsLeft;

        Ping(int count, Actors.Target pong) {
            this.pingsLeft = count;
            this.pong = pong;
        }

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message == Signal.START || message == Signal.PING) {
                pong.tell(new SendPing(self));
                pingsLeft--;
            } else if (message instanceof SendPong) {
                if (pingsLeft > 0) {
                    self.tell(Signal.PING);
                } else {
                    pong.tell(Signal.STOP);
                    return true;
                }
            } else {
                throw new IllegalArgumentException("unexpected " + message);
            }
            return false;
        }
    }

    static final class Pong implements Savina.Actor {
        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message instanceof SendPing ping) {
                ping.sender().tell(new SendPong(self));
                return false;
            } else if (message == Signal.STOP) {
                return true;
            }
            throw new IllegalArgumentException("unexpected " + message);
        }
    }

    private Savina.Run run;
    private Actors.Target ping;

    @Override
    String name() {
        return "savina-ping-pong";
    }

    @Override
    void prepare(Savina.Group group) {
        run = new Savina.Run(2);
        Actors.Target pong = group.spawn(run, 1, i -> new Pong())[0];
        ping = group.spawn(run, 1, i -> new Ping(PINGS, pong))[0];
    }

    @Benchmark
    public void pingPong() throws InterruptedException {
        ping.tell(Signal.START);
        run.await();
    }
}
