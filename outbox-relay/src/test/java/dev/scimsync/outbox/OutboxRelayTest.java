package dev.scimsync.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.awaitility.core.ConditionFactory;
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

    /** A relay of {@code service}; each test names its own (RelayInfrastructure.relay says why). */
    private static OutboxRelay relay(String service) {
        return infrastructure.relay(Duration.ofMillis(10), service);
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
            within(Duration.ofSeconds(60)).alias("all committed events arrived").until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return ids(records).containsAll(expected);
            });
        }
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
        try (OutboxRelay relay = relay("relay-test")) {
            whileRunning = commit(keys);
            awaitEvents(Set.copyOf(whileRunning));
            assertTrue(relay.published() >= whileRunning.size());
        }
        whileDown = commit(List.of("c", "c"));
        try (OutboxRelay restarted = relay("relay-test")) {
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
        try (OutboxRelay relay = relay("relay-test-idle"); Connection other = infrastructure.database("busy");
                Statement busy = other.createStatement()) {
            busy.execute("create table if not exists churn (n int, filler text)");
            busy.execute("insert into churn select n, repeat('x', 200) from generate_series(1, 20000) n");
            String written;
            try (var lsn = busy.executeQuery("select pg_current_wal_lsn()::text")) {
                lsn.next();
                written = lsn.getString(1);
            }

            // No outbox row is written; the heartbeats alone must move the slot past the other database's WAL.
            within(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .alias("the slot confirmed a position past " + written)
                    .until(() -> slotPositionAfter("confirmed_flush_lsn", written));
            assertTrue(relay.streaming());
        }
    }

    @Test
    void aSecondReplicasRelayStandsByAndTakesOverWhenTheFirstGoesAway() throws Exception {
        OutboxRelay first = relay("relay-test-primary");
        within(Duration.ofSeconds(60)).alias("the first relay streams").until(first::streaming);
        Set<Integer> before = walSenders();
        // Named apart only for Debezium's JMX metrics, named by service and one set per JVM: in this one JVM the
        // second engine would otherwise wait a minute for the first one's, a wait that replicas (each in its own
        // JVM) do not have and that would keep it away from the slot for the whole test.
        try (OutboxRelay second = relay("relay-test-replica")) {
            try {
                // The second relay opened its replication connection: it asks for the slot (Debezium asks again
                // every 10 s while the first relay holds it), and would stream from here on if the slot let it.
                within(Duration.ofSeconds(60)).alias("the second relay asks PostgreSQL for the slot")
                        .until(() -> !difference(walSenders(), before).isEmpty());
                List<String> whileBoth = commit(List.of("both", "both", "both", "both", "both", "both"));
                List<String> arrived = awaitEvents(Set.copyOf(whileBoth)).stream()
                        .map(record -> header(record, "ce_id")).filter(whileBoth::contains).toList();
                assertEquals(whileBoth, arrived, "each event arrived once, in commit order");
                // Five heartbeat intervals (streaming() looks back on three) in which the standby publishes nothing
                // and hands over no batch, not even a heartbeat.
                within(Duration.ofSeconds(30)).during(Duration.ofSeconds(5))
                        .alias("the slot admits one reader: the second relay stands by")
                        .until(() -> second.published() == 0 && !second.streaming());
                assertEquals(0, second.published(), "the standby relay published nothing");
                assertFalse(second.streaming(), "the standby relay hands over no batch");
            } finally {
                first.close();
            }
            // The first replica went away: the standby takes the slot and publishes what is committed now.
            List<String> afterHandover = commit(List.of("handover", "handover"));
            within(Duration.ofSeconds(60)).alias("the standby relay took over the slot").until(second::streaming);
            awaitEvents(Set.copyOf(afterHandover));
        }
    }

    @Test
    void aRelayWhoseStoredOffsetTheSlotNoLongerHoldsResumesWhereTheSlotIs() throws Exception {
        // As when the chart's capture moves from the embedded relay to Kafka Connect and back: another reader of
        // the slot, with offsets of its own, publishes and confirms the slot past the relay's stored offset.
        try (OutboxRelay relay = relay("relay-test-returning")) {
            awaitEvents(Set.copyOf(commit(List.of("before"))));
        }
        String storedAbout = slotPosition("confirmed_flush_lsn");
        try (OutboxRelay other = relay("relay-test-other-reader")) {
            awaitEvents(Set.copyOf(commit(List.of("meanwhile"))));
            // The slot keeps WAL from restart_lsn on, which a checkpoint moves up to what the reader confirmed.
            within(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .alias("the slot no longer holds " + storedAbout).until(() -> {
                        try (Connection sql = database(); Statement checkpoint = sql.createStatement()) {
                            checkpoint.execute("checkpoint");
                        }
                        return slotPositionAfter("restart_lsn", storedAbout);
                    });
        }
        List<String> whileNoneRuns = commit(List.of("after", "after"));
        try (OutboxRelay returning = relay("relay-test-returning")) {
            awaitEvents(Set.copyOf(whileNoneRuns));
            assertTrue(returning.streaming(), "the returning relay streams from where the slot is");
        }
    }

    /** One of the relay's slot's positions ({@code confirmed_flush_lsn}, {@code restart_lsn}) as text. */
    private static String slotPosition(String column) throws Exception {
        return slot(column + "::text");
    }

    private static boolean slotPositionAfter(String column, String lsn) throws Exception {
        return Boolean.parseBoolean(slot("(" + column + " > '" + lsn + "'::pg_lsn)::text"));
    }

    private static String slot(String expression) throws Exception {
        try (Connection sql = database(); var slot = sql.createStatement().executeQuery("select " + expression
                + " from pg_replication_slots where slot_name = '" + RelayInfrastructure.slot() + "'")) {
            slot.next();
            return slot.getString(1);
        }
    }

    /** The process ids of the WAL senders (replication connections) on the relay's database. */
    private static Set<Integer> walSenders() throws Exception {
        Set<Integer> pids = new java.util.HashSet<>();
        try (Connection sql = database(); var rows = sql.createStatement().executeQuery(
                "select pid from pg_stat_activity where backend_type = 'walsender' and datname = current_database()")) {
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
        }
        return pids;
    }

    private static Set<Integer> difference(Set<Integer> now, Set<Integer> before) {
        Set<Integer> added = new java.util.HashSet<>(now);
        added.removeAll(before);
        return added;
    }

    /** Awaitility polling in the test's thread (the Kafka consumer and JDBC connection polled are not shared). */
    private static ConditionFactory within(Duration timeout) {
        return await().atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100));
    }
}
