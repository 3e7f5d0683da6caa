package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The outcomes of held changes an admin approved, published even when the approval's own publication was lost: the
 * approval commits, then publishes (AdminGuardResource), and a crash in between left group-sync-service keeping a
 * deactivated user in their teams - the changes, approved already, could not be approved again. Each change keeps
 * the command it was applied under (V37) until its outcome is acknowledged; what is still unpublished
 * {@code guard.approval-outcomes.grace} after its decision (longer than an approval takes to publish) is published
 * from its processed-command record. Consumers take an outcome twice as once (group-sync sets the user's state,
 * audit-service keeps one record per outcome), so two replicas publishing the same one at once do no harm.
 */
@ApplicationScoped
public class ApprovalOutcomes {

    private static final Logger LOG = Logger.getLogger(ApprovalOutcomes.class);
    private static final int BATCH = 500;

    private final Pool pool;
    private final CommandOutcomePublisher outcomes;
    private final Duration grace;

    public ApprovalOutcomes(Pool pool, CommandOutcomePublisher outcomes,
            @ConfigProperty(name = "guard.approval-outcomes.grace") Duration grace) {
        this.pool = pool;
        this.outcomes = outcomes;
        this.grace = grace;
    }

    /**
     * Marks the outcomes of {@code commandIds} acknowledged by Kafka. A failure here is logged, not answered: the
     * changes are applied and their outcomes published; at worst they are published again.
     */
    public Uni<Void> published(List<UUID> commandIds) {
        return pool.preparedQuery("update held_change set approval_published_at = now() "
                        + "where approval_command_id = any($1::uuid[])")
                .execute(Tuple.of(commandIds.toArray(new UUID[0])))
                .replaceWithVoid()
                .onFailure().invoke(failure -> LOG.warnf("approved changes' outcomes published but not marked so "
                        + "(%s): they will be published again", failure.toString()))
                .onFailure().recoverWithNull();
    }

    @Scheduled(every = "${guard.approval-outcomes.check-every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return publishLeftOver().replaceWithVoid();
    }

    /** Publishes the approved changes' outcomes left unpublished, oldest first, a batch at a time; how many. */
    public Uni<Integer> publishLeftOver() {
        return pool.preparedQuery("select h.approval_command_id, cast(p.outcome as text) as outcome "
                        + "from held_change h join processed_command p on p.command_id = h.approval_command_id "
                        + "where h.approval_command_id is not null and h.approval_published_at is null "
                        + "and h.decided_at < now() - make_interval(secs => $1) order by h.decided_at limit $2")
                .execute(Tuple.of((double) grace.toSeconds(), BATCH))
                .chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    List<CommandOutcome> left = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID("approval_command_id"));
                        left.add(ContractJson.read(row.getString("outcome").getBytes(StandardCharsets.UTF_8),
                                CommandOutcome.class));
                    }
                    if (left.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    LOG.warnf("publishing the outcomes of %d approved held changes whose approval did not publish "
                            + "them", left.size());
                    return outcomes.publish(left).chain(() -> published(ids)).replaceWith(left.size());
                });
    }
}
