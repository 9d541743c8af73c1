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
 * Savina Chameneos ({@code benchmarks/chameneos}): {@value #CHAMENEOS} chameneos actors, coloured
 * red, yellow, blue in turn, meet through one mall actor {@value #MEETINGS} times. Each sends the
 * mall {@code Meet(colour, self)}; the mall keeps the first waiting and forwards the next one's
 * {@code Meet} to it; that chameneo takes the complement colour, answers {@code Change} to its
 * partner and goes back to the mall. Once the meetings are used up, the mall answers each
 * {@code Meet} with {@code Exit}; a chameneo reports its meeting count and exits, and the mall exits
 * after the last report (and checks that the counts add up to two per meeting). Score: ms per run.
 *
 * <p>Deviation: Savina's mall spawns the chameneos when it starts, and each sends its first
 * {@code Meet} when it starts; here they are spawned before the timed run and the run starts with
 * a {@code START} to each chameneo from the benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SavinaChameneos extends SavinaBenchmark {

    /** Savina's defaults {@code numChameneos} and {@code numMeetings}. */
    static final int CHAMENEOS = 100;

    static final int MEETINGS = 200_000;

    enum Colour {
        RED,
        YELLOW,
        BLUE,
        FADED
    }

    enum Start {
        START
    }

    record Meet(Colour colour, Actors.Target sender) {}

    record Change(Colour colour, Actors.Target sender) {}

    record MeetingCount(int count, Actors.Target sender) {}

    record Exit(Actors.Target sender) {}

    /** Savina's {@code ChameneosHelper.complement}. */
    static Colour complement(Colour colour, Colour other) {
        if (colour == Colour.FADED || other == Colour.FADED) {
            return Colour.FADED;
        }
        if (colour == other) {
            return colour;
        }
        for (Colour third : Colour.values()) {
            if (third != colour && third != other && third != Colour.FADED) {
                return third;
            }
        }
        throw new IllegalArgumentException("no complement of " + colour + " and " + other);
    }

    static final class Mall implements Savina.Actor {
        private final int chameneos;
        private final Savina.Run run;
        private int meetingsLeft;
        private Actors.Target waiting;
        private int sumMeetings;
        private int faded;

        Mall(int meetings, int chameneos, Savina.Run run) {
            this.meetingsLeft = meetings;
            this.chameneos = chameneos;
            this.run = run;
        }

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message instanceof MeetingCount count) {
                faded++;
                sumMeetings += count.count();
                if (faded == chameneos) {
                    if (sumMeetings != 2 * MEETINGS) {
                        run.fail("expected " + 2 * MEETINGS + " meetings in all, counted " + sumMeetings);
                    }
                    return true;
                }
            } else if (message instanceof Meet meet) {
                if (meetingsLeft > 0) {
                    if (waiting == null) {
                        waiting = meet.sender();
                    } else {
                        meetingsLeft--;
                        waiting.tell(meet);
                        waiting = null;
                    }
                } else {
                    meet.sender().tell(new Exit(self));
                }
            } else {
                throw new IllegalArgumentException("unexpected " + message);
            }
            return false;
        }
    }

    static final class Chameneo implements Savina.Actor {
        private final Actors.Target mall;
        private Colour colour;
        private int meetings;

        Chameneo(Actors.Target mall, Colour colour) {
            this.mall = mall;
            this.colour = colour;
        }

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message instanceof Meet meet) {
                colour = complement(colour, meet.colour());
                meetings++;
                meet.sender().tell(new Change(colour, self));
                mall.tell(new Meet(colour, self));
            } else if (message instanceof Change change) {
                colour = change.colour();
                meetings++;
                mall.tell(new Meet(colour, self));
            } else if (message instanceof Exit exit) {
                colour = Colour.FADED;
                exit.sender().tell(new MeetingCount(meetings, self));
                return true;
            } else if (message == Start.START) {
                mall.tell(new Meet(colour, self));
            } else {
                throw new IllegalArgumentException("unexpected " + message);
            }
            return false;
        }
    }

    private Savina.Run run;
    private Actors.Target[] chameneos;

    @Override
    String name() {
        return "savina-chameneos";
    }

    @Override
    void prepare(Savina.Group group) {
        Savina.Run next = new Savina.Run(CHAMENEOS + 1);
        Actors.Target mall = group.spawn(next, 1, i -> new Mall(MEETINGS, CHAMENEOS, next))[0];
        chameneos = group.spawn(next, CHAMENEOS, i -> new Chameneo(mall, Colour.values()[i % 3]));
        run = next;
    }

    @Benchmark
    public void chameneos() throws InterruptedException {
        for (Actors.Target chameneo : chameneos) {
            chameneo.tell(Start.START);
        }
        run.await();
    }
}
