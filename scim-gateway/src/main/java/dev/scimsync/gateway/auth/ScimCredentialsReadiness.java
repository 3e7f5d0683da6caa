package dev.scimsync.gateway.auth;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway is not ready until it has read scim.credentials to the end once: before that, a live token
 * would be unknown to it and every request would fall back to asking membership-service. The end is the end
 * offsets when the partitions were assigned; once reached, the gateway stays ready (what arrives later is
 * news, read within milliseconds).
 */
@ApplicationScoped
@Identifier(ScimCredentialsReadiness.NAME)
@Readiness
public class ScimCredentialsReadiness implements KafkaConsumerRebalanceListener, HealthCheck {

    public static final String NAME = "scim-credential-partitions";

    /** Partitions not read to their end yet, with that end (the offset after their last record). */
    private final Map<TopicPartition, Long> unread = new ConcurrentHashMap<>();
    private volatile boolean assigned;
    private volatile boolean caughtUp;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (caughtUp || partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            // position() resolves 'earliest' now: equal to the end for an empty partition.
            if (consumer.position(partition) < ends.get(partition)) {
                unread.put(partition, ends.get(partition));
            }
        }
        assigned = true;
        caughtUp = unread.isEmpty();
    }

    void consumed(TopicPartition partition, long offset) {
        if (caughtUp) {
            return;
        }
        unread.computeIfPresent(partition, (p, end) -> offset + 1 >= end ? null : end);
        caughtUp = assigned && unread.isEmpty();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("SCIM credentials read to the end").status(caughtUp).build();
    }
}
