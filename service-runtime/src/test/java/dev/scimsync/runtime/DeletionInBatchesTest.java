package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.runtime.DeletionInBatches.Deleted;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Old rows deleted a batch per transaction, on a real PostgreSQL. */
class DeletionInBatchesTest {

    private static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC);
    private static final OffsetDateTime A_DAY_AGO = NOW.minusDays(1);

    private static TestPostgres postgres;
    private static Pool pool;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestPostgres.start();
        pool = postgres.pool;
        pool.query("create table aged (id bigint primary key, at timestamptz not null)").executeAndAwait();
        pool.query("create index aged_at on aged (at)").executeAndAwait();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void empty() {
        pool.query("delete from aged").executeAndAwait();
    }

    @Test
    void rowsBeforeTheCutoffAreDeletedInTransactionsOfAtMostTheBatch() {
        insert(1, 25, NOW.minusDays(2));
        insert(26, 5, NOW.minusMinutes(1));

        // 10 + 10 + 5: the third statement, short of the batch, is the last.
        assertEquals(new Deleted(25, 3), deleteOlderThanADay("id", 10));
        assertEquals(5L, count("at >= $1"), "the rows of the last day");
        assertEquals(5L, count("true"));
    }

    @Test
    void aBatchThatFillsExactlyAsksOnceMoreAndFindsNothing() {
        insert(1, 20, NOW.minusDays(2));

        assertEquals(new Deleted(20, 3), deleteOlderThanADay("id", 10));
        assertEquals(new Deleted(0, 1), deleteOlderThanADay("id", 10));
    }

    @Test
    void aTableWithoutAKeyIsDeletedByRowAddress() {
        insert(1, 15, NOW.minusDays(2));

        assertEquals(new Deleted(15, 2), deleteOlderThanADay("ctid", 10));
        assertEquals(0L, count("true"));
    }

    private static Deleted deleteOlderThanADay(String key, int batch) {
        return DeletionInBatches.deleteOlderThan(pool, "aged", key, "at", A_DAY_AGO, batch).await()
                .atMost(Duration.ofSeconds(30));
    }

    /** Rows {@code first} .. {@code first + count - 1}, a second apart from {@code at}. */
    private static void insert(int first, int count, OffsetDateTime at) {
        pool.preparedQuery("insert into aged select i, $2::timestamptz + (i - $1) * interval '1 second' "
                + "from generate_series($1::bigint, $1::bigint + $3 - 1) i")
                .executeAndAwait(Tuple.of(first, at, count));
    }

    private static long count(String condition) {
        Row row = pool.preparedQuery("select count(*) from aged where " + condition)
                .executeAndAwait(condition.contains("$1") ? Tuple.of(A_DAY_AGO) : Tuple.tuple()).iterator().next();
        return row.getLong(0);
    }
}
