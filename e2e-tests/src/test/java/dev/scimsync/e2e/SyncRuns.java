package dev.scimsync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the long sync runs (faults, scale-out) check afterwards, read the way an IdP or a consumer would. */
final class SyncRuns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SyncRuns() {
    }

    /** Every user of a tenant by userName (more than one entry is a duplicate), paged as the gateway pages. */
    static Map<String, List<JsonNode>> allUsers(HttpClient http, String scimBaseUrl, String token) throws Exception {
        Map<String, List<JsonNode>> users = new HashMap<>();
        for (int start = 1; ; ) {
            JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(scimBaseUrl
                            + "/Users?count=1000&startIndex=" + start + "&attributes=userName,active"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
            page.path("Resources").forEach(user -> users.computeIfAbsent(user.path("userName").asText(),
                    k -> new ArrayList<>()).add(user));
            int items = page.path("Resources").size();
            start += items;
            if (items == 0 || start > page.path("totalResults").asInt()) {
                return users;
            }
        }
    }

    /**
     * Every membership event from the start of the topic, duplicates included (so a test can count them),
     * until {@code enough} holds or three minutes have passed.
     */
    static void everyEvent(Consumer<MembershipEventsConsumer.MemberEvent> handler, BooleanSupplier enough) {
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", SharedStack.kafkaBootstrapServers(), "group.id", "sync-check-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dev.scimsync.contracts.Topics.MEMBERSHIP_EVENTS));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (!enough.getAsBoolean() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> handler.accept(MembershipEventsConsumer.read(record)));
            }
        }
    }

    /**
     * Every record of {@code topics} from their beginning to their end as it is when called, duplicates
     * included, read without a consumer group.
     */
    static void everyRecord(List<String> topics, Consumer<ConsumerRecord<String, byte[]>> handler) {
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", SharedStack.kafkaBootstrapServers(), "enable.auto.commit", "false"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition()))).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(500)).forEach(handler);
            }
        }
    }

    static boolean anyAlive(Thread[] threads) {
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
