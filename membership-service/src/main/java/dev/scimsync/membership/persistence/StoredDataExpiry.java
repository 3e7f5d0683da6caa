package dev.scimsync.membership.persistence;

import dev.scimsync.runtime.DeletionInBatches;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps no record longer than it serves, and no personal data of a removed user:
 * <ul>
 * <li>a processed command (kept so a redelivered command is answered, not applied twice) expires after
 * {@code retention.processed-commands}, longer than the command topics' Kafka retention (7 days);</li>
 * <li>a provisioning error expires after {@code retention.provisioning-errors}, and so do the troubleshooting
 * counters (unknown attributes, failed authentications) not seen again for as long;</li>
 * <li>a held change the guard's admin or the IdP decided (it holds the person's userName and the command as the IdP
 * sent it: the whole profile of a held deactivation) is deleted {@code retention.held-changes} after its decision;
 * a de-provisioning counted for the guard's window (at most a day) two days after it was applied;</li>
 * <li>an invitation that expired is deleted {@code retention.expired-invitations} after it expired: listed as
 * expired until then (the admin sees it lapsed, and a refused sign-in says so), it holds the address of someone who
 * never joined;</li>
 * <li>the user snapshot in the processed commands of a user SCIM removed is scrubbed to its id, version and
 * placement (the audit log keeps what it must, see docs/reliability.md).</li>
 * </ul>
 * Deletes run in bounded batches ({@link DeletionInBatches}), so a large backlog never holds one long transaction.
 */
@ApplicationScoped
public class StoredDataExpiry {

    private static final Logger LOG = Logger.getLogger(StoredDataExpiry.class);
    private static final int BATCH = 10_000;
    /** The guard counts de-provisionings over at most a day (V15's guard_window_minutes); kept a day beyond. */
    private static final Duration GUARD_WINDOW_KEPT = Duration.ofDays(2);
    /** The user name a scrubbed outcome carries. */
    public static final String REMOVED = "(removed)";

    private final Pool pool;
    private final Duration processedCommands;
    private final Duration provisioningErrors;
    private final Duration expiredInvitations;
    private final Duration heldChanges;
    private final Clock clock;

    public StoredDataExpiry(Pool pool,
            @ConfigProperty(name = "retention.processed-commands") Duration processedCommands,
            @ConfigProperty(name = "retention.provisioning-errors") Duration provisioningErrors,
            @ConfigProperty(name = "retention.expired-invitations") Duration expiredInvitations,
            @ConfigProperty(name = "retention.held-changes") Duration heldChanges, Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.processedCommands = processedCommands;
        this.provisioningErrors = provisioningErrors;
        this.expiredInvitations = expiredInvitations;
        this.heldChanges = heldChanges;
    }

    @Scheduled(every = "${retention.check-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> expire() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return deleteInBatches("processed_command", "command_id", "processed_at", now.minus(processedCommands))
                .chain(() -> deleteInBatches("provisioning_error", "id", "occurred_at", now.minus(provisioningErrors)))
                .chain(() -> deleteInBatches("unknown_attribute", "ctid", "last_seen", now.minus(provisioningErrors)))
                .chain(() -> deleteInBatches("scim_authentication_failure", "token_id", "last_seen",
                        now.minus(provisioningErrors)))
                .chain(() -> deleteInBatches("unattributed_authentication_failure", "reason", "last_seen",
                        now.minus(provisioningErrors)))
                .chain(() -> deleteInBatches("scim_off_refusal", "ctid", "last_seen", now.minus(provisioningErrors)))
                .chain(() -> deleteInBatches("invitation", "id", "expires_at", now.minus(expiredInvitations)))
                // Still held: decided_at is null, never older than the cutoff.
                .chain(() -> deleteInBatches("held_change", "id", "decided_at", now.minus(heldChanges)))
                .chain(() -> deleteInBatches("deprovisioning", "ctid", "applied_at", now.minus(GUARD_WINDOW_KEPT)))
                .chain(this::scrubRemovedUsers);
    }

    private Uni<Void> deleteInBatches(String table, String key, String age, OffsetDateTime cutoff) {
        return DeletionInBatches.deleteOlderThan(pool, table, key, age, cutoff, BATCH)
                .invoke(deleted -> {
                    if (deleted.rows() > 0) {
                        LOG.infof("deleted %d %s rows from before %s (%d transactions)", deleted.rows(), table, cutoff,
                                deleted.batches());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The profile (user name, external id, attributes) in the outcomes of users who no longer exist, replaced by
     * one that names no one ({@link #REMOVED}: an outcome needs a user name to stay readable).
     */
    private Uni<Void> scrubRemovedUsers() {
        return pool.query("update processed_command p set outcome = jsonb_set(p.outcome, '{user,profile}', "
                        + "jsonb_build_object('userName', '" + REMOVED + "', 'externalId', null, 'active', false, "
                        + "'attributes', '{}'::jsonb, 'placement', p.outcome #> '{user,profile,placement}')) "
                        + "where p.outcome #>> '{user,profile,userName}' <> '" + REMOVED + "' "
                        + "and not exists (select 1 from account a where a.id = (p.outcome #>> '{user,id}')::uuid)")
                .execute()
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("scrubbed the profile of removed users from %d processed commands", rows.rowCount());
                    }
                })
                .replaceWithVoid();
    }
}
