package dev.phyxius.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH state every Savina benchmark shares: one {@link Savina.Trial} per trial on the system
 * {@link #impl} names, and a fresh {@link Savina.Group} of actors per invocation, made by
 * {@link #prepare} before the timed run and closed (every actor gone) after it. Score of the
 * subclasses: milliseconds per run, as Savina reports.
 */
@State(Scope.Benchmark)
public abstract class SavinaBenchmark {

    /** The system under test: {@code phyxius} or {@code pekko}. */
    @Param({"phyxius", "pekko"})
    public String impl;

    private Savina.Trial trial;
    private Savina.Group group;

    /** The name of the Pekko system and of the Phyxius processes. */
    abstract String name();

    /** Spawns and wires the actors of the next run; nothing of the run itself starts here. */
    abstract void prepare(Savina.Group group) throws Exception;

    /** Starts the trial's system (for Pekko, its {@code ActorSystem}). */
    @Setup(Level.Trial)
    public void startTrial() {
        trial = new Savina.Trial(impl, name());
    }

    /** Spawns the next run's actors, outside the timed part. */
    @Setup(Level.Invocation)
    public void prepareRun() throws Exception {
        group = trial.group();
        prepare(group);
    }

    /** Waits until every actor of the run just timed is gone, outside the timed part. */
    @TearDown(Level.Invocation)
    public void endRun() throws Exception {
        group.close();
        group = null;
    }

    /** Terminates the trial's system. */
    @TearDown(Level.Trial)
    public void endTrial() throws Exception {
        trial.close();
    }
}
