package dev.scimsync.testsupport;

import dev.scimsync.contracts.CloudEventHeaders;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain Kafka clients for tests that play the part of another service on the real broker. */
public final class KafkaTestClient {

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    /**
     * Holds what it is given until {@link #sendAll} flushes it, in record batches of up to 900 kB (under the
     * broker's 1 MiB message limit): the records of one partition sent together are appended to the log as one
     * batch, so a consumer's fetch sees all of them or none, never the first few that a fetch already in flight
     * happened to catch.
     */
    private final KafkaProducer<String, byte[]> burstProducer;

    private KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        this.burstProducer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "600000",
                ProducerConfig.BATCH_SIZE_CONFIG, "900000"), new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaTestClient shared;

    /**
     * The client for the broker the running Quarkus tests use: one per test JVM (the tests of a module share
     * one broker), closed when the JVM exits.
     */
    public static synchronized KafkaTestClient forQuarkusTest() {
        String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        if (shared == null || !shared.bootstrapServers.equals(bootstrapServers)) {
            KafkaTestClient client = new KafkaTestClient(bootstrapServers);
            Runtime.getRuntime().addShutdownHook(new Thread(client::close, "kafka-test-client-close"));
            shared = client;
        }
        return shared;
    }

    public void send(String topic, String key, Object contract) {
        sendRaw(topic, key, ContractJson.write(contract));
    }

    public void sendRaw(String topic, String key, byte[] value) {
        sendRaw(topic, key, value, Map.of());
    }

    /** With record headers, e.g. a CloudEvent in Kafka binary mode. */
    public void sendRaw(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, header) -> record.headers().add(name, header.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /**
     * Sends the values at once (keyed like the gateway keys commands) with the headers {@code headers} gives
     * the i-th value: they reach a consumer together, as a burst of IdP writes does, not one per round trip.
     */
    public void sendBurst(String topic, String key, List<byte[]> values,
            java.util.function.IntFunction<Map<String, String>> headers) {
        List<ProducerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, values.get(i));
            headers.apply(i).forEach((name, header) -> record.headers().add(name,
                    header.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            records.add(record);
        }
        sendAll(records);
    }

    public void sendBurst(String topic, String key, List<byte[]> values) {
        sendBurst(topic, key, values, i -> Map.of());
    }

    /**
     * Sends the records in one go (a partition's records up to 900 kB land as one record batch, see
     * {@link #burstProducer}) and answers where each landed, in the same order.
     */
    public synchronized List<RecordMetadata> sendAll(List<ProducerRecord<String, byte[]>> records) {
        List<java.util.concurrent.Future<RecordMetadata>> sent = records.stream().map(burstProducer::send).toList();
        burstProducer.flush();
        try {
            List<RecordMetadata> landed = new java.util.ArrayList<>(sent.size());
            for (java.util.concurrent.Future<RecordMetadata> future : sent) {
                landed.add(future.get());
            }
            return landed;
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + records.size() + " records", e);
        }
    }

    /** A consumer that reads every partition of the topic from its beginning, outside any group. */
    public KafkaConsumer<String, byte[]> readFromBeginning(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Waits for the first record on the topic that {@code match} turns into a value. */
    public <T> Optional<T> await(String topic, Duration timeout, Function<ConsumerRecord<String, byte[]>, Optional<T>> match) {
        try (KafkaConsumer<String, byte[]> consumer = readFromBeginning(topic)) {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Optional<T> matched = match.apply(record);
                    if (matched.isPresent()) {
                        return matched;
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Sends a user command as the gateway does (keyed by connection) and waits for its outcome. */
    public CommandOutcome apply(UserCommand command) {
        send(Topics.USER_COMMANDS, command.connectionId(), command);
        return awaitOutcome(command.commandId());
    }

    /** Sends a group command as the gateway does (keyed by connection) and waits for its outcome. */
    public CommandOutcome apply(dev.scimsync.contracts.GroupCommand command) {
        send(Topics.GROUP_COMMANDS, command.connectionId(), command);
        return awaitOutcome(command.commandId());
    }

    public CommandOutcome awaitOutcome(UUID commandId) {
        // Generous: a 6,000-member command on a busy 2-core machine takes seconds, not milliseconds.
        return await(Topics.COMMAND_OUTCOMES, Duration.ofSeconds(60), record -> readableOutcome(record)
                .filter(outcome -> outcome.commandId().equals(commandId))).orElseThrow(() -> new AssertionError("no outcome for command " + commandId));
    }

    /** The record's outcome; empty for the unreadable records some tests plant on the topic. */
    private static Optional<CommandOutcome> readableOutcome(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(ContractJson.read(record.value(), CommandOutcome.class));
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The outcomes of all these commands (each once), read in one pass over the topic. */
    public Map<UUID, CommandOutcome> awaitOutcomes(java.util.Collection<UUID> commandIds) {
        Map<UUID, CommandOutcome> outcomes = new java.util.HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = readFromBeginning(Topics.COMMAND_OUTCOMES)) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (outcomes.size() < commandIds.size() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    readableOutcome(record).filter(outcome -> commandIds.contains(outcome.commandId()))
                            .ifPresent(outcome -> outcomes.putIfAbsent(outcome.commandId(), outcome));
                }
            }
        }
        if (outcomes.size() < commandIds.size()) {
            throw new AssertionError("outcomes of " + outcomes.size() + " of " + commandIds.size() + " commands arrived");
        }
        return outcomes;
    }

    /**
     * The events (CloudEvents, binary mode) with this record key, in topic order, once {@code count} distinct
     * {@code ce_id}s have arrived; a replayed event appears once.
     */
    public List<ConsumerRecord<String, byte[]>> awaitEvents(String topic, String key, int count, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> events = new java.util.ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = readFromBeginning(topic)) {
            Instant deadline = Instant.now().plus(timeout);
            while (ids.size() < count && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && ids.add(header(record, CloudEventHeaders.ID))) {
                        events.add(record);
                    }
                }
            }
        }
        if (ids.size() < count) {
            throw new AssertionError("expected " + count + " events for " + key + " on " + topic + ", got " + ids.size());
        }
        return events;
    }

    /** A header's value as text, or null. */
    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Counts the records on the topic whose value, read as {@code type}, satisfies {@code predicate}. */
    public <T> long count(String topic, Class<T> type, java.util.function.Predicate<T> predicate, Duration settle) {
        try (KafkaConsumer<String, byte[]> consumer = readFromBeginning(topic)) {
            long count = 0;
            Instant deadline = Instant.now().plus(settle);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (predicate.test(ContractJson.read(record.value(), type))) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** Only at JVM exit: the client is shared by every test of the JVM. */
    private void close() {
        producer.close(Duration.ofSeconds(5));
        burstProducer.close(Duration.ofSeconds(5));
    }
}
