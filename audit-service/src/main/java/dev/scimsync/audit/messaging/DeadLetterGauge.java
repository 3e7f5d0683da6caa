package dev.scimsync.audit.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** {@code audit_dead_letter_records}: how many messages the audit consumers have parked on audit.dlq. */
@ApplicationScoped
public class DeadLetterGauge {

    static final String TOPIC = "audit.dlq";
    private static final Logger LOG = Logger.getLogger(DeadLetterGauge.class);

    private final AtomicLong size = new AtomicLong();
    private final Admin admin;

    public DeadLetterGauge(MeterRegistry registry, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
        Gauge.builder("audit_dead_letter_records", size, AtomicLong::get)
                .description("Messages parked on the audit dead-letter topic").register(registry);
    }

    @Scheduled(every = "${audit.dead-letters.refresh-every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            if (!admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(TOPIC)) {
                size.set(0);
                return;
            }
            var partitions = admin.describeTopics(java.util.List.of(TOPIC)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(TOPIC).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(TOPIC, p.partition()), p -> OffsetSpec.latest()));
            var latest = admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
            size.set(latest.values().stream().mapToLong(info -> info.offset()).sum());
        } catch (Exception e) {
            LOG.debugf("dead-letter size not refreshed: %s", e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
