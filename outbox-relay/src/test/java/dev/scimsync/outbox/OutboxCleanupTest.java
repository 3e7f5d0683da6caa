package dev.scimsync.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.stack.PostgresServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cleanup of old outbox rows, on a real PostgreSQL with the services' outbox schema. */
class OutboxCleanupTest {

    private static PostgresServer postgres;
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void start() throws Exception {
        postgres = RelayInfrastructure.outboxDatabase();
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("localhost").setPort(postgres.port())
                .setDatabase("relay").setUser(postgres.user()).setPassword(postgres.password())).using(vertx).build();
    }

    @AfterAll
    static void stop() throws Exception {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        postgres.close();
    }

    @Test
    void rowsBeforeTheCutoffAreDeletedInTransactionsOfAtMostTheBatch() throws Exception {
        OffsetDateTime now = emptyOutbox();
        insertEvents(25, now.minusDays(2));
        insertEvents(5, now.minusMinutes(1));

        // 10 + 10 + 5: the third transaction, short of the batch, is the last.
        assertEquals(new OutboxRelayRunner.Deleted(25, 3), deleteOlderThanADay(now));
        try (Connection database = database(); Statement statement = database.createStatement();
             ResultSet left = statement.executeQuery("select count(*), min(created_at) from outbox_event")) {
            left.next();
            assertEquals(5, left.getInt(1));
            assertTrue(left.getObject(2, OffsetDateTime.class).isAfter(now.minusDays(1)));
        }
    }

    @Test
    void aBatchThatFillsExactlyAsksOnceMoreAndFindsNothing() throws Exception {
        OffsetDateTime now = emptyOutbox();
        insertEvents(20, now.minusDays(2));

        assertEquals(new OutboxRelayRunner.Deleted(20, 3), deleteOlderThanADay(now));
        assertEquals(new OutboxRelayRunner.Deleted(0, 1), deleteOlderThanADay(now));
    }

    /** No outbox rows; returns the time the test's rows are dated from. */
    private static OffsetDateTime emptyOutbox() throws Exception {
        try (Connection database = database(); Statement statement = database.createStatement()) {
            statement.execute("delete from outbox_event");
        }
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** The cleanup with a retention of a day, 10 rows per transaction. */
    private static OutboxRelayRunner.Deleted deleteOlderThanADay(OffsetDateTime now) {
        return OutboxRelayRunner.deleteOlderThan(pool, "outbox_event", "created_at", now.minusDays(1), 10).await()
                .atMost(Duration.ofSeconds(30));
    }

    private static void insertEvents(int count, OffsetDateTime createdAt) throws Exception {
        try (Connection database = database(); PreparedStatement insert = database.prepareStatement(
                "insert into outbox_event (id, topic, event_key, event_type, subject, payload, created_at) "
                        + "values (?, 'cleanup.test', 'k', 'test', 's', '{}'::jsonb, ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, createdAt.plusSeconds(i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl("relay"), postgres.user(), postgres.password());
    }
}
