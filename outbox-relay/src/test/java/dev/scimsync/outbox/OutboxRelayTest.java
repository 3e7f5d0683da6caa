package dev.scimsync.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay against a real PostgreSQL (logical WAL) and a real Kafka broker. */
class OutboxRelayTest {

    private static final String TOPIC = RelayInfrastructure.TOPIC;
    private static RelayInfrastructure infrastructure;

    @BeforeAll
    static void start() throws Exception {
        infrastructure = RelayInfrastructure.start();
    }

    @AfterAll
    static void stop() throws Exception {
        infrastructure.close();
    }

    private static Connection database() throws Exception {
        return infrastructure.database();
    }

    private static OutboxRelay relay() {
        return infrastructure.relay(Duration.ofMillis(10));
    }

    /** Commits one outbox row per key, in the order given; returns the rows' ids. */
    private static List<String> commit(List<String> keys) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection sql = database(); PreparedStatement insert = sql.prepareStatement(
                "insert into outbox_event (id, topic, event_key, event_type, subject, connection_id, payload) "
                        + "values (?, ?, ?, 'dev.scimsync.test.thing.happened.v1', ?, 'conn-1', cast(? as jsonb))")) {
            for (int i = 0; i < keys.size(); i++) {
                String id = UUID.randomUUID().toString();
                insert.setObject(1, UUID.fromString(id));
                insert.setString(2, TOPIC);
                insert.setString(3, keys.get(i));
                insert.setString(4, keys.get(i));
                insert.setString(5, "{\"key\":\"" + keys.get(i) + "\",\"n\":" + i + "}");
                insert.executeUpdate();
                ids.add(id);
            }
        }
        return ids;
    }

    /** Every record on the topic, read until {@code expected} distinct event ids have arrived. */
    private static List<ConsumerRecord<String, byte[]>> awaitEvents(Set<String> expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !ids(records).containsAll(expected)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertTrue(ids(records).containsAll(expected), "all committed events arrived");
        return records;
    }

    private static Set<String> ids(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> ids = new java.util.HashSet<>();
        records.forEach(r -> ids.add(header(r, "ce_id")));
        return ids;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void committedRowsBecomeCloudEventsInCommitOrderPerKeyAndSurviveARelayThatWasDown() throws Exception {
        // Committed while no relay runs (as after a crash between commit and publish): the slot keeps them.
        List<String> beforeStart = commit(List.of("a", "b", "a"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add("member-" + (i % 4));
        }
        List<String> whileRunning;
        List<String> whileDown;
        try (OutboxRelay relay = relay()) {
            whileRunning = commit(keys);
            awaitEvents(Set.copyOf(whileRunning));
            assertTrue(relay.published() >= whileRunning.size());
        }
        whileDown = commit(List.of("c", "c"));
        try (OutboxRelay restarted = relay()) {
            List<String> all = new ArrayList<>(beforeStart);
            all.addAll(whileRunning);
            all.addAll(whileDown);
            List<ConsumerRecord<String, byte[]>> records = awaitEvents(Set.copyOf(all));

            ConsumerRecord<String, byte[]> first = records.stream()
                    .filter(r -> header(r, "ce_id").equals(beforeStart.get(0))).findFirst().orElseThrow();
            assertEquals("a", first.key());
            assertEquals("{\"n\": 0, \"key\": \"a\"}", new String(first.value(), StandardCharsets.UTF_8));
            assertEquals("1.0", header(first, "ce_specversion"));
            assertEquals("dev.scimsync.test.thing.happened.v1", header(first, "ce_type"));
            assertEquals("/scim-provisioning/relay-test", header(first, "ce_source"));
            assertEquals("a", header(first, "ce_subject"));
            assertEquals("conn-1", header(first, "ce_connectionid"));
            assertEquals("application/json", header(first, "content-type"));
            assertTrue(header(first, "ce_time").endsWith("Z"), header(first, "ce_time"));

            // Per key, events arrive in commit order (first delivery of each id; replays come later).
            Map<String, List<Integer>> orderByKey = new LinkedHashMap<>();
            Set<String> seen = new java.util.HashSet<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                if (seen.add(header(record, "ce_id")) && record.key().startsWith("member-")) {
                    String json = new String(record.value(), StandardCharsets.UTF_8);
                    int n = Integer.parseInt(json.replaceAll(".*\"n\": (\\d+).*", "$1"));
                    orderByKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(n);
                }
            }
            assertEquals(4, orderByKey.size());
            orderByKey.values().forEach(ns -> assertEquals(ns.stream().sorted().toList(), ns));
            assertEquals(50, orderByKey.get("member-0").size());
            assertTrue(restarted.streaming());
        }
    }

    @Test
    void anIdleOutboxDoesNotHoldTheWalOfBusierDatabases() throws Exception {
        try (OutboxRelay relay = relay(); Connection other = infrastructure.database("busy");
                Statement busy = other.createStatement(); Connection sql = database()) {
            busy.execute("create table if not exists churn (n int, filler text)");
            busy.execute("insert into churn select n, repeat('x', 200) from generate_series(1, 20000) n");
            String written;
            try (var lsn = busy.executeQuery("select pg_current_wal_lsn()::text")) {
                lsn.next();
                written = lsn.getString(1);
            }

            // No outbox row is written; the heartbeats alone must move the slot past the other database's WAL.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean movedOn = false;
            while (!movedOn && System.nanoTime() < deadline) {
                try (var slot = sql.createStatement().executeQuery("select confirmed_flush_lsn >= '" + written
                        + "'::pg_lsn from pg_replication_slots where slot_name = '" + RelayInfrastructure.slot() + "'")) {
                    slot.next();
                    movedOn = slot.getBoolean(1);
                }
                Thread.sleep(200);
            }
            assertTrue(movedOn, "the slot confirmed a position past " + written);
            assertTrue(relay.streaming());
        }
    }

    @Test
    void aSecondReplicasRelayStandsByAndTakesOverWhenTheFirstGoesAway() throws Exception {
        OutboxRelay first = relay();
        waitFor(first::streaming);
        try (OutboxRelay second = relay()) {
            try {
                Thread.sleep(2000);
                assertTrue(!second.streaming(), "the slot admits one reader: the second relay stands by");
            } finally {
                first.close();
            }
            // The first replica went away: the standby takes the slot and publishes what is committed now.
            List<String> afterHandover = commit(List.of("handover", "handover"));
            waitFor(second::streaming);
            awaitEvents(Set.copyOf(afterHandover));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), "condition met within 60 s");
    }
}
