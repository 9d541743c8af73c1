package dev.phyxius.kafka.internal;

import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.Tools;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The spec the keyed group runs for one key: the user's spec, plus the bookkeeping of the feed.
 * After each record it tells the feed the record is handled (once its store writes are
 * acknowledged); when the user's handler throws, it keeps the record (and those behind it in the
 * same call) for the key's next life, nudges itself so that the next life looks at once, and
 * rethrows so that the supervisor restarts the process with fresh state. A record that has failed
 * once more than the strategy allows restarts goes to the dead-letter topic instead, and the key
 * carries on.
 *
 * <p>The user's {@code init} runs inside the wrapper's: one that throws does not fail the
 * activation (which would drop the records waiting for it) but makes the first record's handling
 * fail, so a key whose {@code init} keeps failing ends like a poison record.
 */
final class KeySpec<K, V, S> implements ProcessSpec<ConsumerRecord<K, V>, KeySpec.Life<S>, Void> {

    /** What one life of a key carries: the user's state, once its {@code init} has succeeded. */
    static final class Life<S> {
        S state;
        boolean ready;
        Exception initFailure;
    }

    private final Feed<K, V> feed;
    private final K key;
    private final ProcessSpec<ConsumerRecord<K, V>, S, Void> user;
    private final ChangelogStores<?>.Store store;

    KeySpec(Feed<K, V> feed, K key, ProcessSpec<ConsumerRecord<K, V>, S, Void> user, ChangelogStores<?>.Store store) {
        this.feed = feed;
        this.key = key;
        this.user = user;
        this.store = store;
    }

    @Override
    public String name() {
        return user.name();
    }

    @Override
    public int maxInbox() {
        return user.maxInbox();
    }

    /** Always {@code REJECT}: a full mailbox pauses the partition; nothing is dropped to make room. */
    @Override
    public MailboxPolicy mailboxPolicy() {
        return MailboxPolicy.REJECT;
    }

    @Override
    public Life<S> init(Void ctx) {
        Life<S> life = new Life<>();
        try {
            life.state = user.init(null);
            life.ready = true;
        } catch (Exception e) {
            life.initFailure = e;
        }
        return life;
    }

    @Override
    public Life<S> handle(Life<S> life, ConsumerRecord<K, V> message, Tools<ConsumerRecord<K, V>> tools)
            throws Exception {
        Feed.Retry<K, V> kept = feed.takeRetry(key);
        boolean nudge = feed.isNudge(message);
        List<ConsumerRecord<K, V>> records;
        int failures;
        if (kept == null) {
            if (nudge) {
                return life;
            }
            records = List.of(message);
            failures = 0;
        } else {
            // The records a failed life left come first: per-key order holds across restarts.
            records = new ArrayList<>(kept.records());
            if (!nudge) {
                records.add(message);
            }
            failures = kept.failures();
        }
        for (int i = 0; i < records.size(); i++) {
            try {
                handleOne(life, records.get(i), failures, tools);
            } catch (InterruptedException e) {
                // A stop that ran out of patience: not the record's fault. It stays unhandled (not
                // committed), so the partition's next reader gets it.
                throw e;
            } catch (Exception e) {
                feed.keepForRetry(
                        key, new Feed.Retry<>(List.copyOf(records.subList(i, records.size())), failures + 1), tools);
                throw e;
            }
            failures = 0;
        }
        return life;
    }

    /**
     * Handles one record that has failed {@code failures} times in a row: returns once it is
     * handled or dead-lettered, throws if it should be tried again by the key's next life.
     */
    private void handleOne(Life<S> life, ConsumerRecord<K, V> record, int failures, Tools<ConsumerRecord<K, V>> tools)
            throws Exception {
        Object span = feed.tracing().start(record, tools.self().id().value());
        Throwable error = null;
        try {
            if (!life.ready) {
                if (life.initFailure != null) {
                    Exception first = life.initFailure;
                    life.initFailure = null;
                    throw first;
                }
                life.state = user.init(null);
                life.ready = true;
            }
            S next = user.handle(life.state, record, tools);
            if (next != null) {
                life.state = next;
            }
            feed.handled(record, store == null ? null : store.takeWrites());
        } catch (InterruptedException e) {
            error = e;
            throw e;
        } catch (Exception e) {
            error = e;
            if (store != null) {
                store.takeWrites(); // a failed attempt's writes do not hold up later records' commits
            }
            int attempts = failures + 1;
            if (attempts <= feed.restartBudget()) {
                throw e;
            }
            feed.deadLetter(record, e, tools.self().id().value(), attempts);
        } finally {
            feed.tracing().end(span, error);
        }
    }

    @Override
    public void onStop(Life<S> life, StopReason reason, Void ctx) throws Exception {
        if (life.ready) {
            user.onStop(life.state, reason, null);
        }
    }

    @Override
    public String toString() {
        return "KeySpec[" + user.name() + ", " + key + "]";
    }
}
