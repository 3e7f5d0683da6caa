package dev.scimsync.outbox;

import dev.scimsync.contracts.CloudEventHeaders;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

/**
 * Publishes a service's outbox to Kafka as CloudEvents (binary mode): Debezium's embedded PostgreSQL
 * connector reads the outbox table's inserts from the logical WAL (its own replication slot and an
 * insert-only publication, both created by the service's migrations), Debezium's outbox event router turns
 * each row into a record for the topic the row names, and this relay sends the records with an idempotent
 * producer. A batch's offsets are committed only after Kafka acknowledged every record of it, so a crash
 * at any point replays from the last acknowledged batch (consumers deduplicate by {@code ce_id}) and never
 * skips an event. If publishing fails, the engine stops and is started again after a pause. With several
 * replicas of a service, one relay streams (the slot admits one reader) and the others retry until it is
 * free: a standby that takes over when the streaming replica goes away.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration RESTART_PAUSE = Duration.ofSeconds(5);

    private final OutboxRelaySettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService executor;
    private final AtomicLong published = new AtomicLong();
    private volatile DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    /** When the engine last handed over a batch (events or Debezium's heartbeats); 0 before the first. */
    private volatile long lastBatchNanos;
    private volatile boolean closed;
    private volatile Instant lastEventCommitted;
    private volatile Instant lastPublished;

    public OutboxRelay(OutboxRelaySettings settings) {
        this.settings = settings;
        Properties producerConfig = new Properties();
        producerConfig.putAll(settings.kafkaProperties());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, settings.service() + "-outbox-relay");
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, settings.service() + "-outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        executor.execute(this::run);
    }

    private void run() {
        if (closed) {
            return;
        }
        engine = DebeziumEngine.create(Connect.class)
                .using(settings.engineProperties())
                .using((success, message, error) -> {
                    if (closed) {
                        return;
                    }
                    if (standby(error)) {
                        // Another replica of the service holds the slot (a slot admits one reader): this one
                        // waits and takes over when that replica goes away.
                        LOG.debugf("outbox relay of %s on standby: slot %s is in use", settings.service(),
                                settings.slot());
                    } else {
                        LOG.errorf(error, "outbox relay of %s stopped (%s); restarting in %s s", settings.service(),
                                message, RESTART_PAUSE.toSeconds());
                    }
                    executor.schedule(this::run, RESTART_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                })
                .notifying(this::publish)
                .build();
        engine.run();
    }

    /** PostgreSQL refuses a second reader of a replication slot with "replication slot ... is active". */
    private static boolean standby(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("is active for PID")) {
                return true;
            }
        }
        return false;
    }

    /** Sends the batch, waits for every acknowledgement, and only then lets the engine commit its offsets. */
    private void publish(List<ChangeEvent<SourceRecord, SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        lastBatchNanos = System.nanoTime();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Instant newestCommit = null;
        for (ChangeEvent<SourceRecord, SourceRecord> change : batch) {
            SourceRecord record = change.value();
            // Heartbeats and anything else not routed to an event topic only move the offsets on. A row routed to
            // an event topic without a payload is a tombstone for a compacted state topic, and is sent as one.
            if (settings.eventTopics().contains(record.topic())) {
                sends.add(producer.send(toKafka(record)));
                Object time = header(record, CloudEventHeaders.TIME);
                if (time != null) {
                    newestCommit = Instant.parse(time.toString());
                }
            }
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                // Failing here stops the engine without committing this batch; it is sent again on restart.
                throw new IllegalStateException("Kafka did not take an outbox event", e.getCause());
            }
        }
        for (ChangeEvent<SourceRecord, SourceRecord> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        if (!sends.isEmpty()) {
            published.addAndGet(sends.size());
            lastEventCommitted = newestCommit;
            lastPublished = Instant.now();
        }
    }

    /**
     * The row's routed record as a CloudEvent in Kafka binary mode: ce_* headers, the JSON data as the value (none
     * for a tombstone).
     */
    ProducerRecord<String, byte[]> toKafka(SourceRecord record) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0));
        headers.add(CloudEventHeaders.SOURCE, bytes(settings.eventSource()));
        headers.add(CloudEventHeaders.CONTENT_TYPE, bytes("application/json"));
        for (Header header : record.headers()) {
            if (header.value() != null && (header.key().startsWith(CloudEventHeaders.PREFIX)
                    || header.key().equals(CloudEventHeaders.TRACEPARENT))) {
                headers.add(header.key(), bytes(header.value().toString()));
            }
        }
        String key = record.key() == null ? null : record.key().toString();
        return new ProducerRecord<>(record.topic(), null, key,
                record.value() == null ? null : bytes(record.value().toString()), headers);
    }

    private static Object header(SourceRecord record, String key) {
        Header header = record.headers().lastWithName(key);
        return header == null ? null : header.value();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether this relay reads its slot: it handed over a batch within three heartbeat intervals (Debezium's
     * heartbeats arrive even when nothing changes). A standby replica's relay, waiting for the slot, never does.
     */
    public boolean streaming() {
        long last = lastBatchNanos;
        return last != 0 && System.nanoTime() - last < 3 * settings.heartbeatInterval().toNanos();
    }

    public long published() {
        return published.get();
    }

    /**
     * Seconds from the commit of the newest published event to its acknowledgement by Kafka, at the time it
     * was published; NaN before the first event.
     */
    public double lastCaptureLagSeconds() {
        Instant committed = lastEventCommitted;
        Instant sent = lastPublished;
        return committed == null || sent == null ? Double.NaN
                : Duration.between(committed, sent).toNanos() / 1e9;
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (engine != null) {
                engine.close();
            }
        } catch (java.io.IOException e) {
            LOG.warnf(e, "closing the outbox relay of %s", settings.service());
        }
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
