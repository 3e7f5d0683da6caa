package dev.scimsync.testsupport;

import dev.scimsync.contracts.CloudEventHeaders;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import java.time.Duration;
import java.util.ArrayList;
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
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain Kafka clients for tests that play the part of another service on the real broker. What it reads of a
 * topic it keeps: each topic has one consumer that reads on from where it stopped, and the waits (Awaitility)
 * look at what it has read, so a test's hundredth wait for an outcome does not read the topic a hundredth time.
 */
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

    /** How long one read waits for records that have not arrived yet. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, TopicLog> logs = new java.util.concurrent.ConcurrentHashMap<>();
    /** The first outcome of every command read from the outcomes topic, and how many of its records that covers. */
    private final Map<UUID, CommandOutcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    private int outcomesIndexed;

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

    /**
     * What this client has read of a topic so far, in the order read (each partition in its order), kept from
     * call to call: one consumer per topic reads on from where it stopped instead of re-reading the topic.
     */
    private final class TopicLog {

        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();

        TopicLog(String topic) {
            consumer = readFromBeginning(topic);
        }

        /** Reads what has arrived since the last call (waiting up to a short while for it) and answers the size. */
        synchronized int catchUp() {
            consumer.poll(POLL).forEach(read::add);
            return read.size();
        }

        /**
         * Reads on until every partition's position reaches the end it had when called, and answers every record
         * read so far.
         */
        synchronized List<ConsumerRecord<String, byte[]>> toEnd(Duration timeout) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            try {
                within(timeout).until(() -> {
                    consumer.poll(POLL).forEach(read::add);
                    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("did not read " + end + " within " + timeout);
            }
            return List.copyOf(read);
        }

        /** The records read from position {@code from} on. */
        synchronized List<ConsumerRecord<String, byte[]>> since(int from) {
            return List.copyOf(read.subList(from, read.size()));
        }

        synchronized void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private TopicLog log(String topic) {
        return logs.computeIfAbsent(topic, TopicLog::new);
    }

    /** Awaitility polling in the caller's thread (a Kafka consumer is used by one thread at a time). */
    private static ConditionFactory within(Duration timeout) {
        return Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .atMost(timeout);
    }

    /** Waits for the first record on the topic that {@code match} turns into a value. */
    public <T> Optional<T> await(String topic, Duration timeout, Function<ConsumerRecord<String, byte[]>, Optional<T>> match) {
        TopicLog log = log(topic);
        int[] checked = {0};
        try {
            return within(timeout).until(() -> {
                int size = log.catchUp();
                Optional<T> matched = log.since(checked[0]).stream().map(match).flatMap(Optional::stream)
                        .findFirst();
                checked[0] = size;
                return matched;
            }, Optional::isPresent);
        } catch (ConditionTimeoutException e) {
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
        return awaitOutcomes(List.of(commandId)).get(commandId);
    }

    /** The record's outcome; empty for the unreadable records some tests plant on the topic. */
    private static Optional<CommandOutcome> readableOutcome(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(ContractJson.read(record.value(), CommandOutcome.class));
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The first outcome of each of these commands, waiting until all have arrived. */
    public Map<UUID, CommandOutcome> awaitOutcomes(java.util.Collection<UUID> commandIds) {
        try {
            // Generous: a 6,000-member command on a busy 2-core machine takes seconds, not milliseconds.
            within(Duration.ofSeconds(60)).until(() -> outcomes().keySet().containsAll(commandIds));
        } catch (ConditionTimeoutException e) {
            long arrived = commandIds.stream().filter(outcomes::containsKey).count();
            throw new AssertionError("outcomes of " + arrived + " of " + commandIds.size() + " commands arrived");
        }
        Map<UUID, CommandOutcome> answered = new java.util.HashMap<>();
        commandIds.forEach(id -> answered.put(id, outcomes.get(id)));
        return answered;
    }

    /** Every command's first outcome read so far, after reading on. */
    private synchronized Map<UUID, CommandOutcome> outcomes() {
        TopicLog log = log(Topics.COMMAND_OUTCOMES);
        int size = log.catchUp();
        log.since(outcomesIndexed).forEach(record -> readableOutcome(record)
                .ifPresent(outcome -> outcomes.putIfAbsent(outcome.commandId(), outcome)));
        outcomesIndexed = size;
        return outcomes;
    }

    /**
     * Every record of the topic up to the end it has when called (the records produced before the call, tombstones
     * included), in the order read (each partition in its order).
     */
    public List<ConsumerRecord<String, byte[]>> readToEnd(String topic) {
        return log(topic).toEnd(Duration.ofSeconds(60));
    }

    /**
     * Every record of the topic read so far, after reading on (waiting up to a short while for more), in the order
     * read (each partition in its order). For a test's own wait (Awaitility) on what has arrived.
     */
    public List<ConsumerRecord<String, byte[]>> records(String topic) {
        TopicLog log = log(topic);
        log.catchUp();
        return log.since(0);
    }

    /**
     * The events (CloudEvents, binary mode) with this record key read so far, after reading on: in topic order, a
     * replayed event (the same {@code ce_id}) once. For a test's own wait (Awaitility) on what they are.
     */
    public List<ConsumerRecord<String, byte[]>> events(String topic, String key) {
        List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records(topic)) {
            if (key.equals(record.key()) && ids.add(header(record, CloudEventHeaders.ID))) {
                events.add(record);
            }
        }
        return events;
    }

    /**
     * The events (CloudEvents, binary mode) with this record key, in topic order, once {@code count} distinct
     * {@code ce_id}s have arrived; a replayed event appears once.
     */
    public List<ConsumerRecord<String, byte[]>> awaitEvents(String topic, String key, int count, Duration timeout) {
        TopicLog log = log(topic);
        List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        int[] checked = {0};
        try {
            within(timeout).until(() -> {
                int size = log.catchUp();
                for (ConsumerRecord<String, byte[]> record : log.since(checked[0])) {
                    if (key.equals(record.key()) && ids.add(header(record, CloudEventHeaders.ID))) {
                        events.add(record);
                    }
                }
                checked[0] = size;
                return ids.size() >= count;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + count + " events for " + key + " on " + topic + ", got " + ids.size());
        }
        return events;
    }

    /** A header's value as text, or null. */
    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Counts the records on the topic whose value, read as {@code type}, satisfies {@code predicate}, after
     * reading on for {@code settle} (what has not arrived by then is taken as never sent).
     */
    public <T> long count(String topic, Class<T> type, java.util.function.Predicate<T> predicate, Duration settle) {
        TopicLog log = log(topic);
        long deadline = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < deadline) {
            log.catchUp();
        }
        return log.since(0).stream().filter(record -> predicate.test(ContractJson.read(record.value(), type))).count();
    }

    /** Only at JVM exit: the client is shared by every test of the JVM. */
    private void close() {
        logs.values().forEach(TopicLog::close);
        producer.close(Duration.ofSeconds(5));
        burstProducer.close(Duration.ofSeconds(5));
    }
}
