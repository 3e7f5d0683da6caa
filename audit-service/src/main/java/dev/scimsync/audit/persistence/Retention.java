package dev.scimsync.audit.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Monthly partitions of the audit log: the next months' are created ahead of time, and those wholly older
 * than the retention period are detached and dropped - the only way rows ever leave the log - each drop
 * recorded in {@code audit_retention}. Each connection's last dropped record is kept as its chain's checkpoint
 * ({@code audit_checkpoint}), where verification starts from then on.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    /** The advisory lock key partition creation takes turns on ("audt"). */
    private static final long PARTITION_LOCK = 0x61756474L;

    private final int retentionDays;

    public Retention(@ConfigProperty(name = "audit.retention.days") int retentionDays) {
        this.retentionDays = retentionDays;
    }

    /** The current and next month's partitions exist before the first record arrives. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) throws Throwable {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> ensurePartition(now).chain(() -> ensurePartition(now.plusMonths(1)))));
    }

    @Scheduled(every = "${audit.retention.check-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> ensurePartition(now).chain(() -> ensurePartition(now.plusMonths(1))))
                .chain(() -> enforce(Instant.now()))
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
     * Creates the month's partition unless it exists; call it in a transaction. "create table if not exists" is not
     * safe against itself: two at once (replicas starting together, or the start-up call and the first scheduled
     * check of a slow start) can both find no table and one then fails with 42P07, failing the start. A
     * transaction-scoped advisory lock makes them take turns; the second then finds the table.
     */
    public Uni<Void> ensurePartition(YearMonth month) {
        LocalDate start = month.atDay(1);
        LocalDate end = month.plusMonths(1).atDay(1);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select 1 from pg_advisory_xact_lock(" + PARTITION_LOCK + ")", Integer.class).getSingleResult()
                .chain(() -> session.createNativeQuery("create table if not exists " + partitionName(month)
                        + " partition of audit_log for values from ('" + start + "') to ('" + end + "')")
                        .executeUpdate()))
                .replaceWithVoid();
    }

    /** Drops the partitions that end before {@code now - retention}; answers their names. */
    public Uni<List<String>> enforce(Instant now) {
        Instant cutoff = now.minus(java.time.Duration.ofDays(retentionDays));
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
                                + "where i.inhparent = cast('audit_log' as regclass) order by c.relname", String.class)
                .getResultList()
                .chain(partitions -> {
                    List<String> expired = new ArrayList<>();
                    for (String partition : partitions) {
                        if (!partition.matches("audit_log_y\\d{4}m\\d{2}")) {
                            continue; // the default partition is never dropped
                        }
                        YearMonth month = YearMonth.of(Integer.parseInt(partition.substring(11, 15)),
                                Integer.parseInt(partition.substring(16, 18)));
                        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                        if (!end.isAfter(cutoff)) {
                            expired.add(partition);
                        }
                    }
                    Uni<Void> drops = Uni.createFrom().voidItem();
                    for (String partition : expired) {
                        YearMonth month = YearMonth.of(Integer.parseInt(partition.substring(11, 15)),
                                Integer.parseInt(partition.substring(16, 18)));
                        java.time.OffsetDateTime end = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
                        drops = drops
                                // Partitions go oldest first and a chain's times increase with its seq, so the
                                // last record of a connection in this partition is the newest it has lost.
                                .chain(() -> session.createNativeQuery("insert into audit_checkpoint (connection_id, "
                                        + "last_seq, last_hash, last_key_id, partition_name) select distinct on "
                                        + "(connection_id) connection_id, seq, hash, key_id, ?1 from " + partition
                                        + " order by connection_id, seq desc on conflict (connection_id) do update set "
                                        + "last_seq = excluded.last_seq, last_hash = excluded.last_hash, "
                                        + "last_key_id = excluded.last_key_id, partition_name = excluded.partition_name, "
                                        + "dropped_at = now() where excluded.last_seq > audit_checkpoint.last_seq")
                                        .setParameter(1, partition).executeUpdate())
                                .chain(() -> session.createNativeQuery("alter table audit_log detach partition " + partition)
                                        .executeUpdate())
                                .chain(() -> session.createNativeQuery("drop table " + partition).executeUpdate())
                                .chain(() -> session.createNativeQuery(
                                                "insert into audit_retention (partition_name, range_end) values (?1, ?2)")
                                        .setParameter(1, partition).setParameter(2, end).executeUpdate())
                                .replaceWithVoid();
                    }
                    return drops.chain(() -> session.createNativeQuery(
                                    "delete from audit_message where recorded_at < ?1")
                            .setParameter(1, cutoff.atOffset(ZoneOffset.UTC)).executeUpdate())
                            .replaceWith(expired);
                })));
    }
}
