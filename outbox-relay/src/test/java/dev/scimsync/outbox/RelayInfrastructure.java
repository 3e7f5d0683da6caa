package dev.scimsync.outbox;

import dev.scimsync.stack.KafkaTopics;
import dev.scimsync.stack.PostgresServer;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A real PostgreSQL with an outbox table, slot and publication, and a real Kafka broker, for the relay. */
final class RelayInfrastructure implements AutoCloseable {

    static final String TOPIC = "relay.test.events";
    private static final String SLOT = "relay_test_outbox";

    private final PostgresServer postgres;
    private final EmbeddedKafkaBroker kafka;

    private RelayInfrastructure(PostgresServer postgres, EmbeddedKafkaBroker kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    static RelayInfrastructure start() throws Exception {
        PostgresServer postgres = PostgresServer.start(null, 0);
        postgres.createDatabaseIfMissing("relay");
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker().withAdditionalProperties(p -> {
            p.put("offsets.topic.replication.factor", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
        }).withDeleteLogDirsOnClose(true).start();
        KafkaTopics.createMissing(kafka.getAdvertisedListeners(), Map.of(TOPIC, 2), java.util.Set.of());
        RelayInfrastructure infrastructure = new RelayInfrastructure(postgres, kafka);
        try (Connection sql = infrastructure.database(); Statement statement = sql.createStatement()) {
            statement.execute(Files.readString(Path.of("src/test/resources/outbox.sql")));
            statement.execute("select pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
        }
        return infrastructure;
    }

    Connection database() throws java.sql.SQLException {
        return database("relay");
    }

    /** Another database of the same server (created if missing). */
    Connection database(String name) throws java.sql.SQLException {
        postgres.createDatabaseIfMissing(name);
        return DriverManager.getConnection(postgres.jdbcUrl(name), postgres.user(), postgres.password());
    }

    static String slot() {
        return SLOT;
    }

    String bootstrapServers() {
        return kafka.getAdvertisedListeners();
    }

    /** A started relay on the outbox, handing over batches after {@code pollInterval} without changes. */
    OutboxRelay relay(Duration pollInterval) {
        OutboxRelay relay = new OutboxRelay(new OutboxRelaySettings("relay-test", "localhost", postgres.port(), "relay",
                postgres.user(), postgres.password(), SLOT, SLOT, Set.of(TOPIC), kafka.getAdvertisedListeners(),
                Map.of(), (short) 1, pollInterval, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        relay.start();
        return relay;
    }

    @Override
    public void close() throws Exception {
        kafka.close();
        postgres.close();
    }
}
