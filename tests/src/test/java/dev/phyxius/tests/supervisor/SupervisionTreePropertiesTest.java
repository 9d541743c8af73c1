package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.supervisor.ChildKind;
import dev.phyxius.supervisor.ChildOptions;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.tests.supervisor.Member.Do;
import dev.phyxius.tests.supervisor.Member.Msg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random supervision trees against a model of the rules table (supervisor/README.md): a root
 * with a random strategy and intensity, holding a nested one-for-one supervisor (first in start
 * order) and processes of every kind; children crash, stop themselves, are stopped through their
 * ref, are spawned, and time passes. After every step the real tree must match the model: who is
 * supervised, in which order, each child's status, life, restart count and every message it
 * handled (a message queued behind a crash is handled by the next life, or by nobody). jqwik
 * shrinks a failing chain to its shortest form. Restarts have no backoff, so each step settles
 * at once.
 */
class SupervisionTreePropertiesTest {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    /** The nested supervisor gives up (and escalates) on the second failure in the window. */
    private static final int NESTED_MAX = 1;

    private final List<Tree> trees = new CopyOnWriteArrayList<>();

    @AfterTry
    void closeTrees() {
        for (Tree tree : trees) {
            tree.kit.close();
        }
        trees.clear();
    }

    /**
     * jqwik runs properties on its own thread, where JUnit's {@code @Timeout} does not apply;
     * every wait in a step is bounded instead (the kit's awaitIdle and each stop wait at most
     * 10 s of real time).
     */
    @Property(tries = 60, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void aTreeFollowsTheRulesTable(@ForAll("trees") ActionChain<Tree> chain) {
        chain.run();
    }

    @Provide
    Arbitrary<ActionChain<Tree>> trees() {
        Arbitrary<Integer> maxRestarts = Arbitraries.integers().between(1, 3);
        return Arbitraries.of(Scope.class)
                .flatMap(scope -> maxRestarts.flatMap(max -> ActionChain.startWith(() -> {
                            Tree tree = new Tree(scope, max);
                            trees.add(tree);
                            return tree;
                        })
                        .withAction(3, new Spawn())
                        .withAction(4, new End("boom"))
                        .withAction(2, new End("stop-self"))
                        .withAction(1, new StopThroughRef())
                        .withAction(1, new Wait())
                        .withMaxTransformations(25)));
    }

    // -------------------------------------------------------------------------------------------
    // The model

    /** The root's strategy. */
    enum Scope {
        ONE_FOR_ONE(SupervisionStrategy.oneForOne()),
        ONE_FOR_ALL(SupervisionStrategy.oneForAll()),
        REST_FOR_ONE(SupervisionStrategy.restForOne());

        final SupervisionStrategy strategy;

        Scope(SupervisionStrategy strategy) {
            this.strategy = strategy;
        }
    }

    /** One supervised process, real and modelled. */
    static final class Node {
        final Member member;
        final ProcessRef<Msg> ref;
        final ChildKind kind;
        final boolean nested;
        boolean alive = true;
        ProcessStatus ended;
        int life = 1;
        int restarts;
        final List<Long> window = new ArrayList<>();
        final List<String> handled = new ArrayList<>();

        Node(Member member, ProcessRef<Msg> ref, ChildKind kind, boolean nested) {
            this.member = member;
            this.ref = ref;
            this.kind = kind;
            this.nested = nested;
        }

        @Override
        public String toString() {
            return member.name + "(" + kind + (nested ? ", nested" : "") + ")";
        }
    }

    /** The real tree and its model. */
    static final class Tree {
        final ProcessTestKit kit = ProcessTestKit.create();
        final Supervisor root;
        final Supervisor nested;
        final Scope scope;
        final int rootMax;
        final List<Node> nodes = new ArrayList<>();
        boolean nestedAlive = true;
        int nestedRestarts;
        final List<Long> nestedWindow = new ArrayList<>();
        long nowNanos;
        int spawned;

        Tree(Scope scope, int rootMax) {
            kit.expectFailures();
            kit.expectDrops();
            this.scope = scope;
            this.rootMax = rootMax;
            root = kit.supervisor(scope.strategy.withMaxRestarts(rootMax, WINDOW));
            nested = kit.supervisor(SupervisionStrategy.oneForOne().withMaxRestarts(NESTED_MAX, WINDOW));
            root.supervise(nested);
        }

        Node spawn(ChildKind kind, boolean intoNested) {
            Member member = new Member("p" + spawned++, new CopyOnWriteArrayList<>());
            Supervisor into = intoNested ? nested : root;
            Node node = new Node(member, into.spawn(member.spec(), ChildOptions.of(kind)), kind, intoNested);
            nodes.add(node);
            return node;
        }

        List<Node> alive() {
            return nodes.stream().filter(n -> n.alive).toList();
        }

        /** A child ended on its own (a failure when {@code crashed}, else a stop from its handler). */
        void ended(Node child, boolean crashed) {
            boolean restartable = switch (child.kind) {
                case PERMANENT -> true;
                case TRANSIENT -> crashed;
                case TEMPORARY -> false;
            };
            if (!restartable) {
                end(child, crashed ? ProcessStatus.FAILED : ProcessStatus.STOPPED);
                return;
            }
            int max = child.nested ? NESTED_MAX : rootMax;
            if (inWindow(child.window) >= max) {
                if (child.nested) {
                    nestedFailed(child); // held, escalated to the root
                } else {
                    end(child, ProcessStatus.FAILED);
                }
                return;
            }
            child.window.add(nowNanos);
            if (child.nested) {
                restart(child); // the nested supervisor is one-for-one
            } else {
                rootRound(child, null);
            }
        }

        /** The nested supervisor escalated: the root decides about it as about one child. */
        void nestedFailed(Node held) {
            if (inWindow(nestedWindow) >= rootMax) {
                nestedAlive = false;
                for (Node node : alive()) {
                    if (node.nested) {
                        end(node, node == held ? ProcessStatus.FAILED : ProcessStatus.STOPPED);
                    }
                }
                return;
            }
            nestedWindow.add(nowNanos);
            rootRound(null, held);
        }

        /**
         * A round at the root for a failed process ({@code failed}) or the failed nested supervisor
         * ({@code failed == null}), which is first in start order.
         */
        void rootRound(Node failed, Node held) {
            List<Object> order = new ArrayList<>();
            if (nestedAlive) {
                order.add("nested");
            }
            order.addAll(alive().stream().filter(n -> !n.nested).toList());
            Object failedEntry = failed == null ? "nested" : failed;
            int at = order.indexOf(failedEntry);
            for (int i = 0; i < order.size(); i++) {
                boolean covered = switch (scope) {
                    case ONE_FOR_ONE -> i == at;
                    case ONE_FOR_ALL -> true;
                    case REST_FOR_ONE -> i >= at;
                };
                if (!covered) {
                    continue;
                }
                Object entry = order.get(i);
                if (entry.equals("nested")) {
                    nestedRestarts++;
                    for (Node node : alive()) {
                        if (node.nested) {
                            if (node.kind == ChildKind.TEMPORARY) {
                                end(node, ProcessStatus.STOPPED);
                            } else {
                                restart(node);
                                node.window.clear();
                            }
                        }
                    }
                } else {
                    Node node = (Node) entry;
                    if (node != failed && node.kind == ChildKind.TEMPORARY) {
                        end(node, ProcessStatus.STOPPED);
                    } else {
                        restart(node);
                    }
                }
            }
        }

        static void restart(Node node) {
            node.life++;
            node.restarts++;
        }

        static void end(Node node, ProcessStatus status) {
            node.alive = false;
            node.ended = status;
        }

        int inWindow(List<Long> window) {
            window.removeIf(at -> nowNanos - at >= WINDOW.toNanos());
            return window.size();
        }

        /** The real tree must be the modelled one. */
        void check(String after) throws Exception {
            kit.awaitIdle();
            String context = after + "; model: " + nodes;
            assertEquals(ids(alive().stream().filter(n -> !n.nested).toList()), ids(root.children()), context);
            assertEquals(
                    nestedAlive ? ProcessStatus.RUNNING : ProcessStatus.STOPPED,
                    nested.snapshot().status(),
                    context);
            if (nestedAlive) {
                assertEquals(ids(alive().stream().filter(n -> n.nested).toList()), ids(nested.children()), context);
            }
            assertEquals(nestedRestarts, root.restartCount(nested.id()), "nested restarts; " + context);
            for (Node node : nodes) {
                String about = node + " " + context;
                assertEquals(node.alive ? ProcessStatus.RUNNING : node.ended, node.ref.status(), about);
                assertEquals(node.life, node.member.inits.get(), "lives of " + about);
                assertEquals(
                        node.restarts,
                        (node.nested ? nested : root).restartCount(node.ref.id()),
                        "restarts of " + about);
                assertEquals(node.handled, node.member.handled, "handled by " + about);
            }
        }

        private static List<ProcessId> ids(List<?> children) {
            return children.stream()
                    .map(child -> child instanceof Node node ? node.ref.id() : ((ProcessRef<?>) child).id())
                    .toList();
        }

        @Override
        public String toString() {
            return "Tree[" + scope + " max " + rootMax + ", nested " + (nestedAlive ? "alive" : "stopped") + ", "
                    + nodes + "]";
        }
    }

    // -------------------------------------------------------------------------------------------
    // Actions

    static final class Spawn implements Action.Dependent<Tree> {
        @Override
        public boolean precondition(Tree tree) {
            return tree.alive().size() < 6;
        }

        @Override
        public Arbitrary<Transformer<Tree>> transformer(Tree tree) {
            Arbitrary<Boolean> intoNested = tree.nestedAlive ? Arbitraries.of(true, false) : Arbitraries.just(false);
            return Arbitraries.of(ChildKind.class)
                    .flatMap(kind -> intoNested.map(nested ->
                            Transformer.mutate("spawn " + kind + (nested ? " into nested" : ""), t -> {
                                Node node = t.spawn(kind, nested);
                                uncheckedCheck(t, "spawn " + node);
                            })));
        }
    }

    /** A child's handler throws ({@code boom}) or stops its own process ({@code stop-self}). */
    static final class End implements Action.Dependent<Tree> {
        final String how;

        End(String how) {
            this.how = how;
        }

        @Override
        public boolean precondition(Tree tree) {
            return !tree.alive().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<Tree>> transformer(Tree tree) {
            return Arbitraries.of(tree.alive())
                    .map(node -> Transformer.mutate(how + " " + node, t -> {
                        String note = "after-" + how + "-" + t.nowNanos;
                        node.ref.send(new Do(how));
                        node.ref.send(new Do(note)); // queued behind the end: the next life's, or nobody's
                        t.ended(node, how.equals("boom"));
                        if (node.alive) {
                            node.handled.add(note + "@" + node.life);
                        }
                        uncheckedCheck(t, how + " " + node);
                    }));
        }
    }

    static final class StopThroughRef implements Action.Dependent<Tree> {
        @Override
        public boolean precondition(Tree tree) {
            return !tree.alive().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<Tree>> transformer(Tree tree) {
            return Arbitraries.of(tree.alive())
                    .map(node -> Transformer.mutate("stop " + node + " through its ref", t -> {
                        try {
                            node.ref.stop().get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new AssertionError("stop of " + node + " did not complete", e);
                        }
                        Tree.end(node, ProcessStatus.STOPPED);
                        uncheckedCheck(t, "stop " + node);
                    }));
        }
    }

    /** Time passes, so that old restarts slide out of the intensity windows. */
    static final class Wait implements Action.Independent<Tree> {
        @Override
        public Arbitrary<Transformer<Tree>> transformer() {
            return Arbitraries.of(10, 30, 61)
                    .map(seconds -> Transformer.mutate("wait " + seconds + " s", t -> {
                        t.kit.advance(Duration.ofSeconds(seconds));
                        t.nowNanos += Duration.ofSeconds(seconds).toNanos();
                        uncheckedCheck(t, "wait " + seconds + " s");
                    }));
        }
    }

    private static void uncheckedCheck(Tree tree, String after) {
        try {
            tree.check(after);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("checking after " + after, e);
        }
    }
}
