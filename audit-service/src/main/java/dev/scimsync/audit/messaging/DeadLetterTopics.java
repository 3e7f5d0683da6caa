package dev.scimsync.audit.messaging;

import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_OFFSET;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_PARTITION;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_REASON;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;

import dev.scimsync.audit.persistence.AuditLog;
import dev.scimsync.contracts.Topics;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead-letter topics of every service ({@link Topics#DEAD_LETTERS}), read for the admin API, and the replay
 * of one parked record after a fix:
 * <ul>
 * <li>a parked <b>command</b> is sent again to its command topic, as it first arrived (key, value, headers),
 * where the service that parked it applies it; it deduplicates by command id, so a command applied meanwhile
 * is answered, not applied twice;</li>
 * <li>a message audit-service parked is <b>recorded</b> by audit-service, read as its consumer reads its
 * original topic. It is not sent to that topic again: the topic's other consumers took it the first time.</li>
 * </ul>
 * Blocking (plain Kafka clients): call it from a worker thread.
 */
@ApplicationScoped
public class DeadLetterTopics {

    /** How long a read of the topics may take before the admin call answers with what it has. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final int PREVIEW_BYTES = 2048;

    /** One parked record, as the admin API shows it. */
    public record DeadLetter(String topic, int partition, long offset, Instant parkedAt, String originalTopic,
            Integer originalPartition, Long originalOffset, String key, String reason, String cause, int size,
            String preview) {
    }

    /** Why a replay did not happen; the record stays parked. */
    public static final class NotReplayable extends RuntimeException {
        public NotReplayable(String detail, Throwable cause) {
            super(detail, cause);
        }
    }

    private final Map<String, Object> kafka;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AuditLog log;
    private final Pool pool;

    /** {@code kafka}: the broker settings every channel uses (bootstrap servers, security). */
    public DeadLetterTopics(@Identifier("default-kafka-broker") Map<String, Object> kafka, AuditLog log, Pool pool) {
        this.kafka = new HashMap<>(kafka);
        this.kafka.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Object> producerConfig = new HashMap<>(this.kafka);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.log = log;
        this.pool = pool;
    }

    @PreDestroy
    void close() {
        producer.close();
    }

    /** The newest {@code limit} records of each of {@code topics}, newest first. */
    public List<DeadLetter> newest(List<String> topics, int limit) {
        List<DeadLetter> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, READ_TIMEOUT).forEach(info -> partitions.add(
                        new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, READ_TIMEOUT);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - limit));
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        found.add(view(record));
                    }
                }
            }
        }
        found.sort(Comparator.comparing(DeadLetter::parkedAt).reversed());
        return found.size() > limit ? found.subList(0, limit) : found;
    }

    /** The parked record at this position, if the topic still holds it. */
    public Optional<DeadLetter> find(String topic, int partition, long offset) {
        return read(topic, partition, offset).map(DeadLetterTopics::view);
    }

    /**
     * Replays the parked record (see the class comment) and says where it went: the command topic, or
     * {@code audit_log}. Fails with {@link NotReplayable} if it still cannot be applied.
     */
    public String replay(String topic, int partition, long offset) {
        ConsumerRecord<byte[], byte[]> parked = read(topic, partition, offset)
                .orElseThrow(() -> new NotReplayable("no record at " + topic + "/" + partition + "/" + offset, null));
        String original = header(parked.headers(), DEAD_LETTER_TOPIC);
        if (original == null) {
            throw new NotReplayable("the record does not name the topic it was parked from (" + DEAD_LETTER_TOPIC
                    + " header)", null);
        }
        if (Topics.AUDIT_DLQ.equals(topic)) {
            AuditLog.Message message;
            try {
                message = AuditConsumer.reread(original, parked.headers(), parked.value());
            } catch (RuntimeException e) {
                throw new NotReplayable("still not readable: " + e.getMessage(), e);
            }
            try {
                pool.withTransaction(connection -> log.append(connection, List.of(message))).await()
                        .atMost(READ_TIMEOUT);
            } catch (RuntimeException e) {
                throw new NotReplayable("the audit database refused it again: " + e.getMessage(), e);
            }
            return "audit_log";
        }
        ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(original, null, parked.key(), parked.value());
        for (Header header : parked.headers()) {
            // The headers it arrived with (trace context, CloudEvents attributes), not the parking ones.
            if (!header.key().startsWith("dead-letter-") && !header.key().startsWith("deserialization-failure")) {
                again.headers().add(header);
            }
        }
        try {
            RecordMetadata sent = producer.send(again).get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return sent.topic() + "/" + sent.partition() + "/" + sent.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReplayable("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new NotReplayable("Kafka did not take it: " + e.getMessage(), e);
        }
    }

    private Optional<ConsumerRecord<byte[], byte[]>> read(String topic, int partition, long offset) {
        if (!Topics.DEAD_LETTERS.contains(topic)) {
            return Optional.empty();
        }
        TopicPartition position = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            if (consumer.partitionsFor(topic, READ_TIMEOUT).stream().noneMatch(info -> info.partition() == partition)) {
                return Optional.empty();
            }
            consumer.assign(List.of(position));
            long end = consumer.endOffsets(List.of(position), READ_TIMEOUT).get(position);
            if (offset < consumer.beginningOffsets(List.of(position), READ_TIMEOUT).get(position) || offset >= end) {
                return Optional.empty();
            }
            consumer.seek(position, offset);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return Optional.of(record);
                    }
                }
            }
            return Optional.empty();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static DeadLetter view(ConsumerRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        String originalPartition = header(headers, DEAD_LETTER_PARTITION);
        String originalOffset = header(headers, DEAD_LETTER_OFFSET);
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String preview = new String(value, 0, Math.min(value.length, PREVIEW_BYTES), StandardCharsets.UTF_8);
        return new DeadLetter(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), header(headers, DEAD_LETTER_TOPIC),
                originalPartition == null ? null : Integer.valueOf(originalPartition),
                originalOffset == null ? null : Long.valueOf(originalOffset),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                header(headers, DEAD_LETTER_REASON), header(headers, DEAD_LETTER_CAUSE), value.length, preview);
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
