package dev.scimsync.runtime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * Deletes the rows of a table that are older than a cutoff, a bounded number per transaction, oldest first. One
 * statement for a day's or a week's rows would be one transaction that size: it holds its locks and its snapshot for
 * as long as it runs, and an outbox capture has to decode it whole before any event committed after it (a million
 * outbox rows held the events committed meanwhile for up to 5.4 s, batches of 10,000 for 0.18 s at most;
 * docs/performance.md, "the outbox's daily clean-up").
 */
public final class DeletionInBatches {

    /** What a deletion deleted, in how many transactions. */
    public record Deleted(long rows, int batches) {
    }

    private DeletionInBatches() {
    }

    /**
     * Deletes the rows of {@code table} whose {@code age} column is before {@code cutoff}, at most {@code batch}
     * per statement (so per transaction, on a pool in autocommit), until a statement deletes fewer. {@code key}
     * names the rows ({@code ctid} where the table has no key); an index on {@code age} lets each batch start at
     * the oldest row instead of sorting the old rows. Table and column names are the caller's constants, never
     * input.
     */
    public static Uni<Deleted> deleteOlderThan(Pool pool, String table, String key, String age, OffsetDateTime cutoff,
            int batch) {
        String delete = "delete from " + table + " where " + key + " in (select " + key + " from " + table + " where "
                + age + " < $1 order by " + age + " limit $2)";
        return deleteBatches(pool, delete, Tuple.of(cutoff, batch), batch, new Deleted(0, 0));
    }

    private static Uni<Deleted> deleteBatches(Pool pool, String delete, Tuple cutoffAndBatch, int batch,
            Deleted before) {
        return pool.preparedQuery(delete).execute(cutoffAndBatch).chain(rows -> {
            Deleted deleted = new Deleted(before.rows() + rows.rowCount(), before.batches() + 1);
            return rows.rowCount() < batch ? Uni.createFrom().item(deleted)
                    : deleteBatches(pool, delete, cutoffAndBatch, batch, deleted);
        });
    }
}
