package dev.scimsync.audit.messaging;

import dev.scimsync.contracts.ChainHead;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Each connection's chain head, published outside the audit database on {@code audit.chain-heads} (compacted,
 * keyed by connection) and read back from its beginning by every instance: {@code verify} holds the stored chain
 * against the latest published head, so a tail later removed or rewritten in the database is found even by
 * someone who controls the database but not the topic.
 */
@ApplicationScoped
public class ChainHeads {

    private static final Logger LOG = Logger.getLogger(ChainHeads.class);

    private final Map<String, ChainHead> published = new ConcurrentHashMap<>();
    private final Pool pool;
    private final MutinyEmitter<ChainHead> emitter;
    private final Clock clock;

    public ChainHeads(Pool pool, @Channel("chain-heads-out") MutinyEmitter<ChainHead> emitter, Clock clock) {
        this.pool = pool;
        this.emitter = emitter;
        this.clock = clock;
    }

    /** A head on the topic (this instance's, another's, or from before a restart); unreadable ones are skipped. */
    @Incoming("chain-heads")
    void seen(ChainHead head) {
        if (head != null) {
            remember(head);
        }
    }

    /** Replicas publish the same chains; a head behind the one known (an older replica's) never replaces it. */
    private void remember(ChainHead head) {
        published.merge(head.connectionId(), head, (known, seen) -> seen.seq() >= known.seq() ? seen : known);
    }

    public Optional<ChainHead> latest(String connectionId) {
        return Optional.ofNullable(published.get(connectionId));
    }

    /**
     * Publishes the heads of the chains that moved on since their last published head. A chain whose stored head
     * is behind its published one is not published again (that would let whoever moved it back in the database
     * move it back outside too): it is logged, and verify reports the chain broken.
     */
    // Delayed like retention's check: the emitter's channel is connected a moment after the scheduler starts.
    @Scheduled(every = "${audit.chain-heads.publish-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> publishMoved() {
        return pool.query("select connection_id, last_seq, last_hash, last_key_id, last_recorded_at from audit_chain "
                        + "where last_seq > 0").execute()
                .chain(rows -> {
                    Instant now = StoredTime.now(clock);
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        ChainHead known = published.get(row.getString("connection_id"));
                        if (known != null && known.seq() >= row.getLong("last_seq")) {
                            if (known.seq() > row.getLong("last_seq")) {
                                LOG.errorf("audit chain %s is stored up to seq %d, but its head was published at seq "
                                        + "%d: records were removed", known.connectionId(), row.getLong("last_seq"),
                                        known.seq());
                            }
                            continue;
                        }
                        OffsetDateTime recordedAt = row.getOffsetDateTime("last_recorded_at");
                        ChainHead head = new ChainHead(row.getString("connection_id"), row.getLong("last_seq"),
                                row.getString("last_hash"), row.getString("last_key_id"),
                                recordedAt == null ? null : recordedAt.toInstant(), now);
                        sends.add(emitter.sendMessage(KafkaRecord.of(head.connectionId(), head))
                                .invoke(() -> remember(head)));
                    }
                    return sends.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.join().all(sends).andFailFast().replaceWithVoid();
                });
    }
}
