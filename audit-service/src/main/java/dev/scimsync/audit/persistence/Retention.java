package dev.scimsync.audit.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Monthly partitions of the audit log: the next months' are created ahead of time, and those wholly older
 * than the retention period are detached and dropped - the only way rows ever leave the log - each drop
 * recorded in {@code audit_retention}. Each connection's last dropped record is kept as its chain's checkpoint
 * ({@code audit_checkpoint}), where verification starts from then on. Both are done by functions the tables'
 * owner defined (V7): the service's own database role may only read and append.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    private final int retentionDays;
    /** The month of the clock that stamps the records (AuditLog): its partition must exist when they arrive. */
    private final Clock clock;

    public Retention(@ConfigProperty(name = "audit.retention.days") int retentionDays, Clock clock) {
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    /** The current and next month's partitions exist before the first record arrives. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) throws Throwable {
        YearMonth now = YearMonth.now(clock);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> ensurePartition(now).chain(() -> ensurePartition(now.plusMonths(1)))));
    }

    @Scheduled(every = "${audit.retention.check-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        YearMonth now = YearMonth.now(clock);
        return Panache.withTransaction(() -> ensurePartition(now).chain(() -> ensurePartition(now.plusMonths(1))))
                .chain(this::enforce)
                .invoke(dropped -> {
                    if (!dropped.isEmpty()) {
                        LOG.infof("retention (%d days) dropped partitions %s", retentionDays, dropped);
                    }
                })
                .replaceWithVoid();
    }

    public static String partitionName(YearMonth month) {
        return String.format("audit_log_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    /**
     * Creates the month's partition unless it exists; call it in a transaction. The owner's function
     * {@code audit_ensure_partition} does it (the service's role may not create partitions of the log itself), and
     * makes calls at once (replicas starting together) take turns.
     */
    public Uni<Void> ensurePartition(YearMonth month) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select 1 from (select audit_ensure_partition(?1)) ensured", Integer.class)
                .setParameter(1, month.atDay(1)).getSingleResult())
                .replaceWithVoid();
    }

    /**
     * Drops the partitions that end before now - retention, with the owner's function
     * {@code audit_drop_expired_partitions} (checkpoint, detach, drop and record, in one transaction); answers their
     * names. The function refuses a retention shorter than the log has kept so far.
     */
    public Uni<List<String>> enforce() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "select dropped from audit_drop_expired_partitions(?1) dropped", String.class)
                .setParameter(1, retentionDays).getResultList()));
    }
}
