package dev.scimsync.outbox;

import dev.scimsync.stack.KafkaTopics;
import dev.scimsync.stack.PostgresServer;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;

/** A real PostgreSQL with the services' outbox (db/outbox: table, slot, publication) and a real Kafka broker. */
final class RelayInfrastructure implements AutoCloseable {

    static final String TOPIC = "relay.test.events";
    private static final String SLOT = "relay_test_outbox";
    /** The outbox schema the services migrate (quarkus.flyway.locations), run here the same way. */
    private static final String OUTBOX_MIGRATIONS = "classpath:db/outbox";

    private final PostgresServer postgres;
    private final EmbeddedKafkaBroker kafka;

    private RelayInfrastructure(PostgresServer postgres, EmbeddedKafkaBroker kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    static RelayInfrastructure start() throws Exception {
        PostgresServer postgres = outboxDatabase();
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker().withAdditionalProperties(p -> {
            p.put("offsets.topic.replication.factor", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
        }).withDeleteLogDirsOnClose(true).start();
        KafkaTopics.createMissing(kafka.getAdvertisedListeners(), Map.of(TOPIC, 2), java.util.Set.of());
        return new RelayInfrastructure(postgres, kafka);
    }

    /** A real PostgreSQL whose database {@code relay} has the services' outbox, migrated the way they migrate it. */
    static PostgresServer outboxDatabase() throws Exception {
        PostgresServer postgres = PostgresServer.start(null, 0);
        postgres.createDatabaseIfMissing("relay");
        Flyway.configure().dataSource(postgres.jdbcUrl("relay"), postgres.user(), postgres.password())
                .locations(OUTBOX_MIGRATIONS).placeholders(Map.of("outbox_slot", SLOT, "outbox_publication", SLOT))
                .load().migrate();
        return postgres;
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

    /**
     * A started relay on the outbox for {@code service} (the name of its engine, offsets topic, Debezium topic
     * prefix and JMX metrics), handing over batches after {@code pollInterval} without changes. A relay started
     * under a name no relay of the slot used before starts where the slot is; one started under a name used before
     * resumes from that name's stored offset, or where the slot is if another name's relay has since moved the
     * slot past it. A test reuses a name only for its own restarts, so where each relay starts is the test's.
     */
    OutboxRelay relay(Duration pollInterval, String service) {
        OutboxRelay relay = new OutboxRelay(new OutboxRelaySettings(service, "localhost", postgres.port(), "relay",
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
