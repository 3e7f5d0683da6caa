package dev.scimsync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Records produced to Kafka: the end offsets of every partition of every topic (internal ones included:
 * {@code __consumer_offsets} holds the consumers' commits), summed per topic. An end offset also moves for
 * a transaction's commit marker, so transactional producers show one more "record" per transaction.
 */
final class KafkaCounters implements AutoCloseable {

    private final Admin admin;

    KafkaCounters(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "load-bench-offsets");
        this.admin = Admin.create(config);
    }

    /** Topic to the sum of its partitions' end offsets; empty when Kafka did not answer. */
    Map<String, Double> snapshot() {
        Map<String, Double> offsets = new TreeMap<>();
        try {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            topics.values().forEach(topic -> topic.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition()))));
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((partition, info) -> offsets.merge(partition.topic(), (double) info.offset(), Double::sum));
        } catch (Exception e) {
            System.err.println("[bench] reading Kafka's end offsets failed: " + e);
            offsets.clear();
        }
        return offsets;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
