package dev.scimsync.outbox;

import dev.scimsync.contracts.CloudEventHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where one service's outbox lives and where its events go.
 *
 * @param service           the owning service, e.g. {@code membership-service}: names the engine, the offsets
 *                          topic and the events' {@code ce_source}
 * @param slot              the replication slot and @param publication the publication the db/outbox migrations
 *                          created (the service's outbox.slot and outbox.publication)
 * @param eventTopics       the topics outbox rows may name; anything else is not published
 * @param kafkaProperties   extra Kafka client settings (security) for the producer and the offset store
 * @param replicationFactor of the offsets topic
 * @param pollInterval      how long the engine waits for more changes before handing over a batch
 * @param offsetFlushInterval how often the position reached is stored (and confirmed to the slot): a crash
 *                          replays what was published since (consumers deduplicate by {@code ce_id}), and a
 *                          flush per batch would add a Kafka write to every batch of events
 */
public record OutboxRelaySettings(
        String service,
        String databaseHost,
        int databasePort,
        String database,
        String user,
        String password,
        String slot,
        String publication,
        Set<String> eventTopics,
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        short replicationFactor,
        Duration pollInterval,
        Duration heartbeatInterval,
        Duration offsetFlushInterval) {

    public OutboxRelaySettings {
        eventTopics = Set.copyOf(eventTopics);
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    public String eventSource() {
        return "/scim-provisioning/" + service;
    }

    public String offsetsTopic() {
        return service + ".outbox-offsets";
    }

    /** The engine's configuration: the PostgreSQL connector on the outbox table, routed by the outbox router. */
    public Properties engineProperties() {
        Properties config = new Properties();
        config.put("name", service + "-outbox");
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        // Offsets in Kafka: durable across restarts and pods, stored at most this often and only for published batches.
        config.put("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        config.put("offset.storage.topic", offsetsTopic());
        config.put("offset.storage.partitions", "1");
        config.put("offset.storage.replication.factor", Short.toString(replicationFactor));
        config.put("offset.flush.interval.ms", Long.toString(offsetFlushInterval.toMillis()));
        config.put("bootstrap.servers", bootstrapServers);
        kafkaProperties.forEach(config::put);
        config.put("database.hostname", databaseHost);
        config.put("database.port", Integer.toString(databasePort));
        config.put("database.dbname", database);
        config.put("database.user", user);
        config.put("database.password", password);
        config.put("topic.prefix", service);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", slot);
        config.put("publication.name", publication);
        // The migrations created the slot and an insert-only publication before the first outbox row.
        config.put("publication.autocreate.mode", "disabled");
        // No snapshot of the table: the slot holds every event from before the first start. Streaming starts at
        // the stored offset, or where the slot stands when there is none - or when the stored offset is behind
        // what the slot still holds (Debezium: "no longer available on the server"), which happens when another
        // reader confirmed the slot past it: the Kafka Connect capture the chart can switch to, a relay that ran
        // under another service name, an offsets topic restored from an older backup. That reader published what
        // it confirmed, so the relay resumes where the slot is (what a stored offset behind confirmed_flush_lsn
        // does anyway) instead of refusing to start every 5 s for ever. Debezium's no_data, plus that recovery.
        config.put("snapshot.mode", "configuration_based");
        config.put("snapshot.mode.configuration.based.snapshot.data", "false");
        config.put("snapshot.mode.configuration.based.snapshot.schema", "false");
        config.put("snapshot.mode.configuration.based.start.stream", "true");
        config.put("snapshot.mode.configuration.based.snapshot.on.data.error", "true");
        config.put("table.include.list", "public.outbox_event,public.outbox_heartbeat");
        config.put("poll.interval.ms", Long.toString(pollInterval.toMillis()));
        // Heartbeats confirm the slot's position while no outbox row is written, so WAL does not pile up: each
        // writes a row of this database (captured, then dropped below), so the slot moves on even while other
        // databases of the server are busy and this one is idle.
        config.put("heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis()));
        config.put("heartbeat.action.query", "insert into outbox_heartbeat (beat_at) values (now())");
        config.put("predicates", "isHeartbeat");
        config.put("predicates.isHeartbeat.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        config.put("predicates.isHeartbeat.pattern", ".*\\.outbox_heartbeat");
        config.put("transforms", "dropHeartbeats,outbox");
        config.put("transforms.dropHeartbeats.type", "org.apache.kafka.connect.transforms.Filter");
        config.put("transforms.dropHeartbeats.predicate", "isHeartbeat");
        config.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        config.put("transforms.outbox.table.field.event.id", "id");
        config.put("transforms.outbox.table.field.event.key", "event_key");
        config.put("transforms.outbox.table.field.event.payload", "payload");
        config.put("transforms.outbox.route.by.field", "topic");
        config.put("transforms.outbox.route.topic.replacement", "${routedByValue}");
        // A row without a payload is a tombstone (membership.state: the member left the organization).
        config.put("transforms.outbox.route.tombstone.on.empty.payload", "true");
        // Outbox columns to CloudEvents headers; ce_source and ce_specversion are the relay's own (OutboxRelay).
        config.put("transforms.outbox.table.fields.additional.placement", String.join(",",
                "id:header:" + CloudEventHeaders.ID,
                "event_type:header:" + CloudEventHeaders.TYPE,
                "subject:header:" + CloudEventHeaders.SUBJECT,
                "connection_id:header:" + CloudEventHeaders.CONNECTION_ID,
                "created_at:header:" + CloudEventHeaders.TIME,
                "traceparent:header:" + CloudEventHeaders.TRACEPARENT));
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return config;
    }
}
