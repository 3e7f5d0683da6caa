package dev.scimsync.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the project's topics up front, so no consumer starts on a topic that appears later. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * Creates the topics (name to partition count) that do not exist yet; replication factor 1 (one broker).
     * The {@code compacted} ones keep the latest record per key ({@code cleanup.policy=compact}) instead of
     * expiring records: they hold state that a reader starting from scratch must find complete.
     */
    public static void createMissing(String bootstrapServers, Map<String, Integer> partitionsByTopic,
            Set<String> compacted) throws InterruptedException, ExecutionException {
        try (Admin admin = admin(bootstrapServers)) {
            List<NewTopic> topics = new ArrayList<>();
            partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)
                    .configs(compacted.contains(name) ? Map.of("cleanup.policy", "compact") : Map.of())));
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    static Admin admin(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        return Admin.create(config);
    }
}
