package dev.scimsync.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.audit.domain.AuditEntry;
import dev.scimsync.audit.domain.ChainKeys;
import dev.scimsync.audit.domain.HashChain;
import dev.scimsync.audit.messaging.ChainHeads;
import dev.scimsync.audit.persistence.Retention;
import dev.scimsync.contracts.ChainHead;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.KafkaTestClient;
import java.time.Duration;
import java.util.Optional;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The chain as stored: records of before the key, records across retention, tampering found by verify. */
@QuarkusTest
@QuarkusTestResource(AuditTestInfrastructure.class)
class AuditChainTest {

    private static final String VERIFY = "/internal/v1/admin/audit/verify?connection=";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ChainKeys keys;
    @Inject
    Retention retention;
    @Inject
    ChainHeads heads;

    private static Connection sql() throws SQLException {
        return AuditTestInfrastructure.asOwner();
    }

    /**
     * Stores records 1..n of a new chain as AuditLog would have, each at the time and with the key id given
     * (null: the plain SHA-256 of before keys); answers their ids.
     */
    private List<UUID> store(String connection, List<Instant> times, List<String> keyIds) throws Exception {
        List<UUID> ids = new ArrayList<>();
        String previous = HashChain.GENESIS;
        try (Connection db = sql(); PreparedStatement insert = db.prepareStatement("insert into audit_log (id, "
                + "connection_id, seq, kind, message_id, action, payload, recorded_at, prev_hash, hash, key_id) "
                + "values (?, ?, ?, 'command', ?, 'user.create', cast(? as jsonb), ?, ?, ?, ?)")) {
            for (int i = 0; i < times.size(); i++) {
                long seq = i + 1;
                AuditEntry entry = new AuditEntry(UUID.randomUUID(), connection, seq, "command", connection + "-" + seq,
                        null, "user.create", null, null, null, null, null, null, null,
                        JSON.readTree("{\"n\":" + seq + "}"), times.get(i), previous, keyIds.get(i));
                String value = keys.chainValue(entry).orElseThrow();
                insert.setObject(1, entry.id());
                insert.setString(2, connection);
                insert.setLong(3, seq);
                insert.setString(4, entry.messageId());
                insert.setString(5, entry.payload().toString());
                insert.setObject(6, entry.recordedAt().atOffset(ZoneOffset.UTC));
                insert.setString(7, previous);
                insert.setString(8, value);
                insert.setString(9, entry.keyId());
                insert.executeUpdate();
                ids.add(entry.id());
                previous = value;
            }
        }
        return ids;
    }

    private static void forge(String connection, long seq) throws SQLException {
        try (Connection db = sql(); Statement statement = db.createStatement()) {
            // Someone with the power to disable the protection (the tables' owner) changes a record.
            statement.execute("alter table audit_log disable trigger audit_log_no_update_or_delete");
            try {
                statement.executeUpdate("update audit_log set payload = '{\"n\":0}' where connection_id = '"
                        + connection + "' and seq = " + seq);
            } finally {
                statement.execute("alter table audit_log enable trigger audit_log_no_update_or_delete");
            }
        }
    }

    @Test
    void recordsFromBeforeTheKeyVerifyAsUnkeyedAndKeyedOnesFollowThem() throws Exception {
        String connection = "legacy-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        store(connection, List.of(now.minusSeconds(3), now.minusSeconds(2), now.minusSeconds(1)),
                java.util.Arrays.asList(null, null, keys.currentKeyId()));

        given().get(VERIFY + connection).then().statusCode(200).body("intact", equalTo(true))
                .body("records", equalTo(3)).body("unkeyedRecords", equalTo(2)).body("keyedRecords", equalTo(1));
    }

    @Test
    void afterRetentionDropsTheOlderPartitionVerifyStartsAtItsCheckpointAndStillFindsTampering() throws Throwable {
        String connection = "retained-" + UUID.randomUUID();
        YearMonth old = YearMonth.of(2019, 6);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> retention.ensurePartition(old)));
        Instant inOld = old.atDay(10).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String key = keys.currentKeyId();
        List<UUID> ids = store(connection, List.of(inOld, inOld.plusSeconds(1), now.minusSeconds(2), now.minusSeconds(1)),
                List.of(key, key, key, key));
        given().get(VERIFY + connection).then().body("intact", equalTo(true)).body("startedAfterSeq", equalTo(0));

        List<String> dropped = VertxContextSupport.subscribeAndAwait(() -> retention.enforce());

        assertTrue(dropped.contains(Retention.partitionName(old)), dropped.toString());
        given().get(VERIFY + connection).then().statusCode(200).body("intact", equalTo(true))
                .body("startedAfterSeq", equalTo(2)).body("records", equalTo(2)).body("problem", nullValue());

        forge(connection, 4);
        given().get(VERIFY + connection).then().statusCode(200).body("intact", equalTo(false))
                .body("firstBrokenSeq", equalTo(4)).body("firstBrokenId", equalTo(ids.get(3).toString()))
                .body("problem", equalTo("content does not match its MAC with key '" + key
                        + "' (the record was changed)"));
    }

    @Test
    void aTailRemovedAfterItsHeadWasPublishedReadsAsBroken() throws Exception {
        String connection = "heads-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            KafkaTestClient.forQuarkusTest().send(Topics.USER_COMMANDS, connection, UserCommand.create(connection,
                    new UserProfile("h" + i + "@x.test", null, true, ContractJson.mapper().createObjectNode(),
                            new Placement("editor", "acme", null)), null));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/internal/v1/admin/audit/records?connection=" + connection).then().body("records", hasSize(3)));
        ChainHead published = KafkaTestClient.forQuarkusTest().await(Topics.AUDIT_CHAIN_HEADS, Duration.ofSeconds(60),
                record -> Optional.of(record).filter(r -> connection.equals(r.key()))
                        .map(r -> ContractJson.read(r.value(), ChainHead.class)).filter(head -> head.seq() == 3))
                .orElseThrow(() -> new AssertionError("no head at seq 3 published for " + connection));
        assertEquals(keys.currentKeyId(), published.keyId());
        await().atMost(Duration.ofSeconds(30)).until(() -> heads.latest(connection).map(ChainHead::seq).orElse(0L) == 3);
        given().get(VERIFY + connection).then().body("intact", equalTo(true));

        try (Connection db = sql(); Statement statement = db.createStatement()) {
            // The tables' owner removes the last record and moves the head back: the database alone looks intact.
            statement.execute("alter table audit_log disable trigger audit_log_no_update_or_delete");
            try {
                statement.executeUpdate("delete from audit_log where connection_id = '" + connection + "' and seq = 3");
            } finally {
                statement.execute("alter table audit_log enable trigger audit_log_no_update_or_delete");
            }
            statement.executeUpdate("update audit_chain set last_seq = 2 where connection_id = '" + connection + "'");
        }

        given().get(VERIFY + connection).then().statusCode(200).body("intact", equalTo(false))
                .body("firstBrokenSeq", equalTo(3)).body("problem", org.hamcrest.Matchers.containsString(
                        "is at seq 3 but the stored chain ends at 2 (records were removed)"));
    }
}
