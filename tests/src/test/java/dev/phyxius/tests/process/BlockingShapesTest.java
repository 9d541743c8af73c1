package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handler that blocks, on anything, never keeps another process from running: not the process
 * it woke just before blocking (which a drain thread would otherwise keep to run after the
 * handler), and not any other. Each shape is: the blocking handler first wakes an idle process
 * (the one that must run for the wait to end, or a bystander), then blocks; the test sees the
 * other process run while the handler is still blocked. These tests also run in CI on a single
 * carrier thread, where a blocked carrier would stop everything.
 */
@Timeout(30)
class BlockingShapesTest {

    private final Clock clock = Clock.system();
    private final List<ProcessRef<?>> spawned = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (ProcessRef<?> ref : spawned) {
            ref.stop().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /** A process that runs what it is sent. */
    private ProcessRef<Runnable> runner(String name) {
        ProcessSpec<Runnable, Void, Void> spec = ProcessSpec.<Runnable, Void>named(name)
                .handler((state, work, tools) -> {
                    work.run();
                    return null;
                })
                .build();
        ProcessRef<Runnable> ref = Processes.spawn(spec, SpawnOptions.of(clock));
        spawned.add(ref);
        return ref;
    }

    /** A handler that wakes {@code bystander}, then blocks in {@code block}; the bystander must run meanwhile. */
    private void bystanderRunsWhileTheHandlerBlocks(String shape, Blocking block, Runnable unblock) throws Exception {
        ProcessRef<Runnable> blocking = runner("blocking-on-" + shape);
        ProcessRef<Runnable> bystander = runner("bystander");
        CountDownLatch bystanderRan = new CountDownLatch(1);
        CompletableFuture<Void> blockingDone = new CompletableFuture<>();
        blocking.send(() -> {
            bystander.send(bystanderRan::countDown);
            try {
                block.run();
                blockingDone.complete(null);
            } catch (Exception e) {
                blockingDone.completeExceptionally(e);
            }
        });
        assertTrue(
                bystanderRan.await(10, TimeUnit.SECONDS),
                "the process woken before the handler blocked on " + shape + " ran while it was blocked");
        assertTrue(!blockingDone.isDone(), "still blocked on " + shape);
        unblock.run();
        blockingDone.get(10, TimeUnit.SECONDS);
    }

    interface Blocking {
        void run() throws Exception;
    }

    @Test
    void aHandlerBlockedOnALockKeepsNoOneWaiting() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        bystanderRunsWhileTheHandlerBlocks(
                "a lock",
                () -> {
                    lock.lock();
                    lock.unlock();
                },
                lock::unlock);
    }

    @Test
    void aHandlerBlockedOnAMonitorKeepsNoOneWaiting() throws Exception {
        Object monitor = new Object();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (monitor) {
                holding.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        bystanderRunsWhileTheHandlerBlocks(
                "a monitor",
                () -> {
                    synchronized (monitor) {
                        monitor.notifyAll();
                    }
                },
                letGo::countDown);
        holder.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Test
    void aHandlerBlockedOnTheClockKeepsNoOneWaiting() throws Exception {
        CountDownLatch woke = new CountDownLatch(1);
        bystanderRunsWhileTheHandlerBlocks(
                "a sleep",
                () -> {
                    clock.sleep(Duration.ofMillis(500));
                    woke.countDown();
                },
                () -> {});
        assertEquals(0, woke.getCount());
    }

    @Test
    void aHandlerBlockedOnALatchThatTheProcessItWokeCountsDownIsReleasedByIt() throws Exception {
        ProcessRef<Runnable> waiter = runner("waiter");
        ProcessRef<Runnable> releaser = runner("releaser");
        CountDownLatch latch = new CountDownLatch(1);
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiter.send(() -> {
            releaser.send(latch::countDown); // the only way the wait below ends
            try {
                assertTrue(latch.await(10, TimeUnit.SECONDS));
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHandlerAskingTheProcessItWokeGetsItsAnswer() throws Exception {
        ProcessSpec<String, Void, Void> echoSpec = ProcessSpec.<String, Void>named("echo")
                .handler((state, message, tools) -> null)
                .build();
        ProcessRef<String> echo = Processes.spawn(echoSpec, SpawnOptions.of(clock));
        spawned.add(echo);
        ProcessRef<Runnable> asker = runner("asker");
        ProcessRef<Runnable> answerer = runner("answerer");
        CompletableFuture<String> answer = new CompletableFuture<>();
        asker.send(() -> {
            echo.send("woken first");
            try {
                String reply = answerer.<String>ask(r -> () -> r.send("answer")).get(10, TimeUnit.SECONDS);
                answer.complete(reply);
            } catch (Exception e) {
                answer.completeExceptionally(e);
            }
        });
        assertEquals("answer", answer.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aHandlerBlockedOnASocketThatTheProcessItWokeWritesToIsReleasedByIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            InputStream in = client.getInputStream();
            OutputStream out = accepted.getOutputStream();
            ProcessRef<Runnable> reader = runner("reader");
            ProcessRef<Runnable> writer = runner("writer");
            CompletableFuture<Integer> read = new CompletableFuture<>();
            reader.send(() -> {
                writer.send(() -> {
                    try {
                        out.write(42);
                        out.flush();
                    } catch (Exception e) {
                        read.completeExceptionally(e);
                    }
                });
                try {
                    read.complete(in.read()); // I/O that only the woken writer can end
                } catch (Exception e) {
                    read.completeExceptionally(e);
                }
            });
            assertEquals(42, read.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void manyHandlersBlockedAtOnceKeepEveryOtherProcessRunning() throws Exception {
        int blocked = Runtime.getRuntime().availableProcessors() * 4;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allBlocked = new CountDownLatch(blocked);
        CountDownLatch allDone = new CountDownLatch(blocked);
        for (int i = 0; i < blocked; i++) {
            ProcessRef<Runnable> ref = runner("blocked-" + i);
            ref.send(() -> {
                allBlocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                allDone.countDown();
            });
        }
        assertTrue(allBlocked.await(10, TimeUnit.SECONDS), "every handler got a thread of its own");
        ProcessRef<Runnable> free = runner("free");
        CountDownLatch ran = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            free.send(ran::countDown);
        }
        assertTrue(ran.await(10, TimeUnit.SECONDS), "a process with work ran while the others were blocked");
        release.countDown();
        assertTrue(allDone.await(10, TimeUnit.SECONDS));
    }
}
