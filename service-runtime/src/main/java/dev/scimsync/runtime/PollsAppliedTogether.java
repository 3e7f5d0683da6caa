package dev.scimsync.runtime;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * Applies a Kafka channel's polls together: the polls that arrive while earlier ones are being applied wait here,
 * and are then applied as one - one transaction for all of them instead of one each.
 *
 * <p>Why: SmallRye's Kafka connector goes on polling while a batch is processed and queues each poll as a batch
 * of its own. Under load a consumer finds several small polls waiting - a few records each, because every poll
 * returns what has arrived since the last - and applying them one at a time pays a transaction, its statements
 * and a WAL flush for each. Here a poll is taken at once, so the connector hands over the next one, and all that
 * have arrived are applied together as soon as the application before them is done. Nothing waits for a timer:
 * an idle consumer applies a poll the moment it arrives, a busy one applies bigger groups.
 *
 * <p>Polls are applied in the order they arrive, one group at a time, and a group lists its polls in that order -
 * so each partition's records keep their order. At most {@code groupLimit} records go into a group (a poll
 * bigger than that goes alone). Once {@code heldLimit} records are held, {@link #offer} completes only when they
 * have drained below it again: the connector stops being handed over polls and its own queue pauses the
 * partitions, as it would for a slow consumer.
 *
 * @param <P> a poll, e.g. a {@code KafkaRecordBatch}; acknowledging it is {@code apply}'s job
 */
public final class PollsAppliedTogether<P> {

    private static final Logger LOG = Logger.getLogger(PollsAppliedTogether.class);

    private final ToIntFunction<P> records;
    private final Function<List<P>, Uni<Void>> apply;
    private final int groupLimit;
    private final int heldLimit;

    private final ArrayDeque<P> waiting = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Void>> heldBack = new ArrayDeque<>();
    private int held;
    private boolean applying;

    /**
     * @param records    how many records a poll holds
     * @param apply      applies a group of polls, in order, and acknowledges them; it should not fail (a failure
     *                   is logged and the next group goes on)
     * @param groupLimit the most records applied together
     * @param heldLimit  the most records held before {@link #offer} holds the connector back
     */
    public PollsAppliedTogether(ToIntFunction<P> records, Function<List<P>, Uni<Void>> apply, int groupLimit,
            int heldLimit) {
        if (groupLimit < 1 || heldLimit < groupLimit) {
            throw new IllegalArgumentException("need 1 <= groupLimit <= heldLimit");
        }
        this.records = records;
        this.apply = apply;
        this.groupLimit = groupLimit;
        this.heldLimit = heldLimit;
    }

    /** Takes a poll; completes at once, or - when {@code heldLimit} records are held - once they have drained. */
    public Uni<Void> offer(P poll) {
        CompletableFuture<Void> accepted = null;
        boolean start;
        synchronized (this) {
            waiting.add(poll);
            held += records.applyAsInt(poll);
            start = !applying;
            applying = true;
            if (held >= heldLimit) {
                accepted = new CompletableFuture<>();
                heldBack.add(accepted);
            }
        }
        if (start) {
            applyWaiting();
        }
        return accepted == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(accepted);
    }

    /** Records taken and not yet applied: what {@code heldLimit} bounds. */
    public synchronized int held() {
        return held;
    }

    /** Called only by the one caller that set {@code applying}: one group at a time. */
    private void applyWaiting() {
        List<P> group = new ArrayList<>();
        int groupRecords = 0;
        synchronized (this) {
            while (!waiting.isEmpty()
                    && (group.isEmpty() || groupRecords + records.applyAsInt(waiting.peek()) <= groupLimit)) {
                P poll = waiting.poll();
                group.add(poll);
                groupRecords += records.applyAsInt(poll);
            }
        }
        int applied = groupRecords;
        Uni<Void> application;
        try {
            application = apply.apply(group);
        } catch (RuntimeException e) {
            application = Uni.createFrom().failure(e);
        }
        application.subscribe().with(done -> applied(applied), failure -> {
            LOG.errorf(failure, "%d polls (%d records) could not be applied", group.size(), applied);
            applied(applied);
        });
    }

    private void applied(int records) {
        List<CompletableFuture<Void>> released = new ArrayList<>();
        boolean more;
        synchronized (this) {
            held -= records;
            if (held < heldLimit) {
                released.addAll(heldBack);
                heldBack.clear();
            }
            more = !waiting.isEmpty();
            applying = more;
        }
        released.forEach(future -> future.complete(null));
        if (more) {
            applyWaiting();
        }
    }
}
