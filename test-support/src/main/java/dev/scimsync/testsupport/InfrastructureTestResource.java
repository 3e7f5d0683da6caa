package dev.scimsync.testsupport;

import dev.scimsync.contracts.Topics;
import dev.scimsync.stack.KafkaTopics;
import dev.scimsync.stack.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real KRaft Kafka broker in this JVM and a real PostgreSQL (logical WAL, durable commits) for a
 * service's Quarkus tests, and hands their addresses to Quarkus. Both are stopped when the tests end. The
 * service's keys for calling and verifying internal APIs come from {@link TestServiceTokens}.
 */
public class InfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedKafkaBroker kafka;
    private PostgresServer postgres;

    @Override
    public Map<String, String> start() {
        try {
            int[] ports = twoFreePorts();
            kafka = new EmbeddedKafkaBroker().withKafkaPort(ports[0]).withControllerPort(ports[1])
                    // One broker: without these, consumer groups and transactions never become available.
                    .withAdditionalProperties(properties -> {
                        properties.put("offsets.topic.replication.factor", "1");
                        properties.put("transaction.state.log.replication.factor", "1");
                        properties.put("transaction.state.log.min.isr", "1");
                        properties.put("group.initial.rebalance.delay.ms", "0");
                    })
                    .withDeleteLogDirsOnClose(true)
                    .start();
            KafkaTopics.createMissing(kafka.getAdvertisedListeners(), Topics.PARTITIONS, Topics.COMPACTED);
            postgres = PostgresServer.start(null, 0);
            TestServiceTokens.createKeys();
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the test infrastructure", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka.getAdvertisedListeners());
        config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl("postgres"));
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl("postgres"));
        config.put("quarkus.datasource.username", postgres.user());
        config.put("quarkus.datasource.password", postgres.password());
        config.putAll(TestServiceTokens.config());
        return config;
    }

    /**
     * Two distinct free ports for the broker's listener and its controller. Left to the companion, each is picked
     * by opening and closing a socket in turn, and the system can hand out the same port twice (CI saw
     * "Each listener must have a different port" once); held open together, the two cannot be the same.
     */
    private static int[] twoFreePorts() throws IOException {
        try (ServerSocket listener = new ServerSocket(0); ServerSocket controller = new ServerSocket(0)) {
            return new int[] {listener.getLocalPort(), controller.getLocalPort()};
        }
    }

    /** The PostgreSQL server started, for a module's resource that needs more of it (roles, databases). */
    protected PostgresServer postgres() {
        return postgres;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            postgres = null;
        }
    }
}
