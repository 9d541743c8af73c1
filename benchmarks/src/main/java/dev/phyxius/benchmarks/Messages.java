package dev.phyxius.benchmarks;

import java.util.concurrent.CountDownLatch;

/** Message shapes shared by both systems, so that both handle exactly the same objects. */
final class Messages {

    /** A message with no payload: one shared instance, so sends allocate nothing but a node. */
    static final Object TICK = new Object() {
        @Override
        public String toString() {
            return "TICK";
        }
    };

    private Messages() {}

    /** Starts a round: count {@code target} ticks, then count down {@code done}. */
    record Arm(long target, CountDownLatch done) {}

    /** Counts ticks; counts down the round's latch at the last one. */
    static final class Counter implements Actors.Logic {
        long count;
        long target = -1;
        CountDownLatch done;

        @Override
        public void on(Object message) {
            if (message == TICK) {
                if (++count == target) {
                    done.countDown();
                }
            } else if (message instanceof Arm arm) {
                count = 0;
                target = arm.target();
                done = arm.done();
            } else {
                throw new IllegalArgumentException("unexpected " + message);
            }
        }
    }
}
