package dev.scimsync.groupsync.persistence;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.runtime.DeletionInBatches;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The outcome of every command, written in the transaction that applied (or rejected) the command. */
@ApplicationScoped
public class ProcessedCommands {

    private static final Logger LOG = Logger.getLogger(ProcessedCommands.class);
    private static final int EXPIRY_BATCH = 10_000;
    /** The key that refuses a second record of a command (V1's primary key). */
    public static final String ALREADY_RECORDED = "processed_command_pkey";

    private final Pool pool;
    private final Duration retention;
    private final Clock clock;

    public ProcessedCommands(Pool pool, @ConfigProperty(name = "retention.processed-commands") Duration retention,
            Clock clock) {
        this.pool = pool;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Deletes what is older than {@code retention.processed-commands} (longer than the command topics' Kafka
     * retention, so a command Kafka may still redeliver is still answered), in bounded batches.
     */
    @Scheduled(every = "${retention.check-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> expire() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(retention);
        return DeletionInBatches.deleteOlderThan(pool, "processed_command", "command_id", "processed_at", cutoff,
                        EXPIRY_BATCH)
                .invoke(deleted -> {
                    if (deleted.rows() > 0) {
                        LOG.infof("deleted %d processed commands from before %s (%d transactions)", deleted.rows(),
                                cutoff, deleted.batches());
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Optional<CommandOutcome>> find(UUID commandId) {
        return pool.preparedQuery("select outcome from processed_command where command_id = $1")
                .execute(Tuple.of(commandId))
                .map(rows -> {
                    var iterator = rows.iterator();
                    return iterator.hasNext()
                            ? Optional.of(ContractJson.read(iterator.next().getString("outcome")
                                    .getBytes(StandardCharsets.UTF_8), CommandOutcome.class))
                            : Optional.empty();
                });
    }

    /** The recorded outcomes among {@code commandIds}, by command id; one statement for any number. */
    public Uni<Map<UUID, CommandOutcome>> find(SqlClient sql, Collection<UUID> commandIds) {
        if (commandIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return sql.preparedQuery("select command_id, outcome from processed_command where command_id = any($1::uuid[])")
                .execute(Tuple.of(commandIds.toArray(new UUID[0])))
                .map(rows -> {
                    Map<UUID, CommandOutcome> outcomes = new HashMap<>();
                    rows.forEach(row -> outcomes.put(row.getUUID("command_id"), ContractJson.read(
                            row.getString("outcome").getBytes(StandardCharsets.UTF_8), CommandOutcome.class)));
                    return outcomes;
                });
    }

    /**
     * Records the outcome; a command already recorded fails the insert ({@link #ALREADY_RECORDED}), and with it the
     * transaction: another consumer (the one a rebalance gave the partition to) applied the command while this one
     * waited for the group's lock, so what this one applied is rolled back and the poll retried, and answered from
     * that record - not applied twice, after what the IdP sent since.
     */
    public Uni<CommandOutcome> record(SqlClient sql, CommandOutcome outcome) {
        return sql.preparedQuery("insert into processed_command (command_id, connection_id, outcome) values ($1, $2, $3)")
                .execute(Tuple.of(outcome.commandId(), outcome.connectionId(),
                        new String(ContractJson.write(outcome), StandardCharsets.UTF_8)))
                .replaceWith(outcome);
    }
}
