package dev.scimsync.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.runtime.DeletionInBatches.Deleted;
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

/**
 * The cleanup of old outbox rows, on a real PostgreSQL with the services' outbox schema (the batches themselves:
 * service-runtime's DeletionInBatchesTest).
 */
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
    void eventsAndHeartbeatsBeforeTheCutoffAreDeletedAndTheRestKept() throws Exception {
        OffsetDateTime now = emptyOutbox();
        insertEvents(25, now.minusDays(2));
        insertEvents(5, now.minusMinutes(1));
        insertHeartbeats(12, now.minusDays(2));
        insertHeartbeats(3, now.minusMinutes(1));

        // The events deleted, 10 + 10 + 5: the third transaction, short of the batch, is the last.
        assertEquals(new Deleted(25, 3), OutboxRelayRunner.deleteRowsBefore(pool, now.minusDays(1), 10).await()
                .atMost(Duration.ofSeconds(30)));
        assertEquals(5, countFromTheLastDay("outbox_event", "created_at", now));
        assertEquals(3, countFromTheLastDay("outbox_heartbeat", "beat_at", now));
    }

    /** No outbox rows; returns the time the test's rows are dated from. */
    private static OffsetDateTime emptyOutbox() throws Exception {
        try (Connection database = database(); Statement statement = database.createStatement()) {
            statement.execute("delete from outbox_event");
            statement.execute("delete from outbox_heartbeat");
        }
        return OffsetDateTime.now(ZoneOffset.UTC);
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

    private static void insertHeartbeats(int count, OffsetDateTime beatAt) throws Exception {
        try (Connection database = database(); PreparedStatement insert = database.prepareStatement(
                "insert into outbox_heartbeat (beat_at) "
                        + "select ? + i * interval '1 second' from generate_series(1, ?) i")) {
            insert.setObject(1, beatAt);
            insert.setInt(2, count);
            insert.execute();
        }
    }

    /** The rows of {@code table} whose {@code age} is within the day before {@code now}; all must be. */
    private static int countFromTheLastDay(String table, String age, OffsetDateTime now) throws Exception {
        try (Connection database = database(); PreparedStatement count = database.prepareStatement(
                "select count(*) filter (where " + age + " > ?), count(*) from " + table)) {
            count.setObject(1, now.minusDays(1));
            try (ResultSet counted = count.executeQuery()) {
                counted.next();
                assertEquals(counted.getInt(2), counted.getInt(1), table + ": only rows of the last day are left");
                return counted.getInt(1);
            }
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl("relay"), postgres.user(), postgres.password());
    }
}
