package dev.scimsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The example consumer of docs/events/consuming.md, as a service team would start: plain Kafka client, the
 * CloudEvent read from its headers, duplicates dropped by {@code ce_id}, offsets committed after handling.
 * The end-to-end tests use it, so the guide's example is known to work.
 */
public final class MembershipEventsConsumer implements AutoCloseable {

    /** A membership event: the CloudEvent attributes and its JSON data. */
    public record MemberEvent(String id, String type, String subject, String connectionId, String time,
            String traceparent, JsonNode data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, byte[]> consumer;
    /** Event ids already handled. Keep them where your handler writes (same transaction) in a real service. */
    private final Set<String> handled = new HashSet<>();

    public MembershipEventsConsumer(String bootstrapServers, String groupId) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("membership.events"));
    }

    /** Hands each new event of one poll to {@code handler}, then commits the offsets. */
    public void poll(Duration timeout, Consumer<MemberEvent> handler) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            MemberEvent event = read(record);
            if (handled.add(event.id())) {
                handler.accept(event);
            }
        }
        consumer.commitSync();
    }

    static MemberEvent read(ConsumerRecord<String, byte[]> record) {
        try {
            return new MemberEvent(header(record, "ce_id"), header(record, "ce_type"), header(record, "ce_subject"),
                    header(record, "ce_connectionid"), header(record, "ce_time"), header(record, "traceparent"),
                    JSON.readTree(record.value()));
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON event: " + record, e);
        }
    }

    /** Absent or, as Kafka Connect's outbox router may write it, present with a null value: both are no value. */
    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
