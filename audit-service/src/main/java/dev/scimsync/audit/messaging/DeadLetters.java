package dev.scimsync.audit.messaging;

import static io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA;
import static io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler.DESERIALIZATION_FAILURE_DLQ;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_EXCEPTION_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_OFFSET;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_PARTITION;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_REASON;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * The audit dead-letter topic, audit.dlq: parks the messages the consumers cannot record, one by one, and
 * reports its size as {@code audit_dead_letter_records}. The consumers take whole polls, and SmallRye's
 * dead-letter strategy would park a nacked poll whole; so they park single records here, with the headers
 * that strategy writes (reason, original topic, partition and offset), and acknowledge the poll.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final AtomicLong size = new AtomicLong();
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    /** {@code kafka}: the broker settings every channel uses (bootstrap servers, security). */
    public DeadLetters(MeterRegistry registry, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> client = new HashMap<>(kafka);
        client.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Object> producerConfig = new HashMap<>(client);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> adminConfig = new HashMap<>(client);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        this.admin = Admin.create(adminConfig);
        Gauge.builder("audit_dead_letter_records", size, AtomicLong::get)
                .description("Messages parked on the audit dead-letter topic").register(registry);
    }

    /**
     * Parks the record with the reason it was not recorded; completes once the broker has it. The value is
     * the record as it arrived: the bytes that did not deserialize, or the message written back as JSON.
     */
    public Uni<Void> park(KafkaRecord<String, ?> record, Throwable reason) {
        Object payload = record.getPayload();
        byte[] value = payload == null ? header(record, DESERIALIZATION_FAILURE_DATA)
                : payload instanceof byte[] bytes ? bytes : ContractJson.write(payload);
        byte[] key = record.getKey() == null ? null : record.getKey().getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(Topics.AUDIT_DLQ, key, value);
        add(dead, DEAD_LETTER_EXCEPTION_CLASS_NAME, reason.getClass().getName());
        add(dead, DEAD_LETTER_REASON, message(reason));
        if (reason.getCause() != null) {
            add(dead, DEAD_LETTER_CAUSE_CLASS_NAME, reason.getCause().getClass().getName());
            add(dead, DEAD_LETTER_CAUSE, message(reason.getCause()));
        }
        add(dead, DEAD_LETTER_TOPIC, record.getTopic());
        add(dead, DEAD_LETTER_PARTITION, Integer.toString(record.getPartition()));
        add(dead, DEAD_LETTER_OFFSET, Long.toString(offset(record)));
        record.getHeaders().forEach(header -> dead.headers().add(header));
        dead.headers().remove(DESERIALIZATION_FAILURE_DLQ);
        LOG.warnf("parking %s-%d@%d on %s: %s", record.getTopic(), record.getPartition(), offset(record),
                Topics.AUDIT_DLQ, message(reason));
        return Uni.createFrom().<Void>emitter(emitter -> producer.send(dead, (metadata, failure) -> {
            if (failure == null) {
                emitter.complete(null);
            } else {
                emitter.fail(failure);
            }
        }))
                // send() blocks while it looks the topic up: never on the event loop.
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                // A broker that is away is waited for; a record it can never take (too large) fails the poll.
                .onFailure(org.apache.kafka.common.errors.RetriableException.class)
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely();
    }

    @Scheduled(every = "${audit.dead-letters.refresh-every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            if (!admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(Topics.AUDIT_DLQ)) {
                size.set(0);
                return;
            }
            var partitions = admin.describeTopics(List.of(Topics.AUDIT_DLQ)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(Topics.AUDIT_DLQ).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(Topics.AUDIT_DLQ, p.partition()),
                            p -> OffsetSpec.latest()));
            var latest = admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
            size.set(latest.values().stream().mapToLong(info -> info.offset()).sum());
        } catch (Exception e) {
            LOG.debugf("dead-letter size not refreshed: %s", e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        producer.close();
        admin.close();
    }

    private static long offset(KafkaRecord<String, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
    }

    private static byte[] header(KafkaRecord<String, ?> record, String name) {
        Header header = record.getHeaders().lastHeader(name);
        return header == null ? null : header.value();
    }

    private static void add(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String message(Throwable throwable) {
        return throwable.getMessage() == null ? throwable.toString() : throwable.getMessage();
    }
}
