package dev.scimsync.gateway.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The outcome consumer starts at the latest offset, so an outcome published before it has its partitions
 * would never be seen. The gateway is therefore not ready until the partitions are assigned.
 */
@ApplicationScoped
@Identifier(OutcomePartitions.NAME)
@Readiness
public class OutcomePartitions implements KafkaConsumerRebalanceListener, HealthCheck {

    public static final String NAME = "outcome-partitions";

    private final AtomicBoolean assigned = new AtomicBoolean();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // Resolve the start position now, before readiness says yes: 'latest' then means "from here".
        partitions.forEach(consumer::position);
        assigned.set(!partitions.isEmpty());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.set(false);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Command outcome partitions assigned").status(assigned.get()).build();
    }
}
