package dev.scimsync.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.audit.messaging.AuditConsumer;
import dev.scimsync.audit.persistence.Retention;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.testsupport.DatabaseOutage;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(AuditTestInfrastructure.class)
class AuditConsumerTest {

    private static KafkaTestClient kafka() {
        return KafkaTestClient.forQuarkusTest();
    }

    private static final String ADMIN = "/internal/v1/admin/audit";
    @Inject
    Retention retention;


    private static Connection sql() throws SQLException {
        return AuditTestInfrastructure.asOwner();
    }

    private static DatabaseOutage outage() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DatabaseOutage.begin(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.flyway.username", String.class),
                config.getValue("quarkus.flyway.password", String.class));
    }

    private static UserProfile profile(String userName, boolean active) {
        return new UserProfile(userName, null, active, ContractJson.mapper().createObjectNode(),
                new Placement("editor", "acme", null));
    }

    private static UserSnapshot snapshot(String connection, String userName, long version, boolean active) {
        return new UserSnapshot("u-1", connection, profile(userName, active), version, Instant.now(), Instant.now());
    }

    /** Command and outcome, as the gateway and membership-service publish them. */
    private static void exchange(UserCommand command, CommandOutcome outcome) {
        kafka().send(Topics.USER_COMMANDS, command.connectionId(), command);
        kafka().send(Topics.COMMAND_OUTCOMES, command.connectionId(), outcome);
    }

    private static io.restassured.response.ValidatableResponse records(String query) {
        return given().get(ADMIN + "/records?" + query).then().statusCode(200);
    }

    @Test
    void aUserLifecycleIsRecordedInOrderWithItsOriginAndTheChainVerifies() {
        String connection = "conn-" + UUID.randomUUID();
        CommandOrigin origin = new CommandOrigin("tok-1", "okta-req-42", "203.0.113.7", "Okta SCIM Client 1.0");
        UserCommand create = UserCommand.create(connection, profile("ada@x.test", true), origin);
        UserCommand update = UserCommand.replace(connection, "u-1", profile("ada@x.test", true), 1L, origin);
        UserCommand deactivate = UserCommand.replace(connection, "u-1", profile("ada@x.test", false), 2L, origin);
        UserCommand delete = UserCommand.delete(connection, "u-1", null, origin);
        exchange(create, CommandOutcome.applied(create.commandId(), connection, snapshot(connection, "ada@x.test", 1, true)));
        exchange(update, CommandOutcome.applied(update.commandId(), connection, snapshot(connection, "ada@x.test", 2, true)));
        exchange(deactivate, CommandOutcome.applied(deactivate.commandId(), connection,
                snapshot(connection, "ada@x.test", 3, false)));
        exchange(delete, CommandOutcome.rejected(delete.commandId(), connection,
                new CommandFailure(CommandFailure.Reason.NOT_FOUND, "gone")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection + "&limit=20")
                .body("records", hasSize(8)));
        Response page = given().get(ADMIN + "/records?connection=" + connection + "&limit=20");
        List<Integer> seqs = page.jsonPath().getList("records.seq");
        assertEquals(List.of(8, 7, 6, 5, 4, 3, 2, 1), seqs, "newest first, one unbroken sequence");
        List<String> commands = page.jsonPath().getList("records.findAll { it.kind == 'command' }.action");
        assertEquals(List.of("user.delete", "user.replace", "user.replace", "user.create"), commands);
        page.then().body("records.find { it.action == 'user.create' }.requestId", equalTo("okta-req-42"))
                .body("records.find { it.action == 'user.create' }.clientAddress", equalTo("203.0.113.7"))
                .body("records.find { it.action == 'user.create' }.userAgent", equalTo("Okta SCIM Client 1.0"))
                .body("records.find { it.action == 'user.create' }.organization", equalTo("acme"))
                .body("records.outcome", org.hamcrest.Matchers.hasItem("rejected:not_found"));
        records("connection=" + connection + "&action=user.create").body("records", hasSize(1));
        records("connection=" + connection + "&outcome=applied").body("records", hasSize(3));

        page.then().body("records.keyId", org.hamcrest.Matchers.everyItem(equalTo("insecuredev")));
        given().get(ADMIN + "/verify?connection=" + connection).then().statusCode(200)
                .body("intact", equalTo(true)).body("records", equalTo(8)).body("keyedRecords", equalTo(8))
                .body("unkeyedRecords", equalTo(0));
    }

    @Test
    void groupCommandsAndTheirOutcomesAreRecordedToo() {
        String connection = "conn-" + UUID.randomUUID();
        CommandOrigin origin = new CommandOrigin("tok-1", "entra-req-7", null, "Azure AD SCIM");
        dev.scimsync.contracts.GroupCommand patch = dev.scimsync.contracts.GroupCommand.modify(connection, "g-1",
                List.of(dev.scimsync.contracts.GroupEdit.addMembers(List.of("u-1", "u-2"))), null, origin);
        kafka().send(Topics.GROUP_COMMANDS, connection, patch);
        kafka().send(Topics.COMMAND_OUTCOMES, connection, CommandOutcome.applied(patch.commandId(), connection,
                new dev.scimsync.contracts.GroupSnapshot("g-1", connection, "acme:web", null, 2, 2, Instant.now(),
                        Instant.now())));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection)
                .body("records", hasSize(2)));
        records("connection=" + connection + "&action=group.modify").body("records", hasSize(1))
                .body("records[0].requestId", equalTo("entra-req-7"));
        records("connection=" + connection + "&outcome=applied").body("records", hasSize(1));
    }

    @Test
    void cursorPagingWalksFromNewestToOldest() {
        String connection = "conn-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            kafka().send(Topics.USER_COMMANDS, connection, UserCommand.create(connection, profile("p" + i + "@x.test", true), null));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection).body("records",
                hasSize(5)));
        Response first = given().get(ADMIN + "/records?connection=" + connection + "&limit=2");
        Response second = given().get(ADMIN + "/records?connection=" + connection + "&limit=2&cursor="
                + first.path("nextCursor"));
        Response third = given().get(ADMIN + "/records?connection=" + connection + "&limit=2&cursor="
                + second.path("nextCursor"));
        assertEquals(List.of(5, 4), first.jsonPath().getList("records.seq"));
        assertEquals(List.of(3, 2), second.jsonPath().getList("records.seq"));
        assertEquals(List.of(1), third.jsonPath().getList("records.seq"));
        third.then().body("nextCursor", org.hamcrest.Matchers.nullValue());
        String id = first.path("records[0].id");
        given().get(ADMIN + "/records/{id}", id).then().statusCode(200).body("seq", equalTo(5))
                .body("payload.type", equalTo("CREATE"));
        given().get(ADMIN + "/records/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void redeliveredMessagesAreStoredOnce() {
        String connection = "conn-" + UUID.randomUUID();
        UserCommand command = UserCommand.create(connection, profile("once@x.test", true), null);
        CommandOutcome outcome = CommandOutcome.applied(command.commandId(), connection,
                snapshot(connection, "once@x.test", 1, true));
        exchange(command, outcome);
        exchange(command, outcome);
        UserCommand marker = UserCommand.create(connection, profile("marker@x.test", true), null);
        kafka().send(Topics.USER_COMMANDS, connection, marker);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection).body("records",
                hasSize(3)));
        records("connection=" + connection).body("records.seq", contains(3, 2, 1));
    }

    @Test
    void rowsCannotBeChangedAndATamperedRowIsNamedByVerify() throws Exception {
        String connection = "conn-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            kafka().send(Topics.USER_COMMANDS, connection, UserCommand.create(connection, profile("t" + i + "@x.test", true), null));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection).body("records",
                hasSize(3)));

        try (Connection db = sql(); Statement statement = db.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "update audit_log set outcome = 'forged' where connection_id = '" + connection + "'"));
            assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "delete from audit_log where connection_id = '" + connection + "'"));
            // Someone with the power to disable the protection (a superuser) forges record 2.
            statement.execute("alter table audit_log disable trigger audit_log_no_update_or_delete");
            try {
                statement.executeUpdate("update audit_log set user_ref = 'mallory@x.test' where connection_id = '"
                        + connection + "' and seq = 2");
            } finally {
                statement.execute("alter table audit_log enable trigger audit_log_no_update_or_delete");
            }
        }

        given().get(ADMIN + "/verify?connection=" + connection).then().statusCode(200)
                .body("intact", equalTo(false)).body("firstBrokenSeq", equalTo(2))
                .body("firstBrokenId", notNullValue()).body("problem", containsString("was changed"));
    }

    @Test
    void membershipAndTeamEventsAreRecordedOnceByTheirCloudEventId() {
        String connection = "conn-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", id,
                "ce_type", "dev.scimsync.membership.member.deactivated.v1", "ce_source", "/membership-service",
                "ce_subject", "member-7", "ce_connectionid", connection);
        byte[] data = "{\"memberId\":\"member-7\",\"organization\":\"acme\"}".getBytes(StandardCharsets.UTF_8);
        kafka().sendRaw(Topics.MEMBERSHIP_EVENTS, "member-7", data, headers);
        kafka().sendRaw(Topics.MEMBERSHIP_EVENTS, "member-7", data, headers);
        kafka().sendRaw(Topics.TEAM_EVENTS, "team-1", "{\"team\":\"backend\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("ce_id", UUID.randomUUID().toString(), "ce_type", "dev.scimsync.team.member.added.v1",
                        "ce_connectionid", connection));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection).body("records",
                hasSize(2)));
        records("connection=" + connection + "&action=dev.scimsync.membership.member.deactivated.v1")
                .body("records[0].user", equalTo("member-7")).body("records[0].organization", equalTo("acme"))
                .body("records[0].kind", equalTo("event"));
    }

    @Test
    void poisonMessagesAreParkedCountedAndTheConsumersGoOn() {
        kafka().sendRaw(Topics.USER_COMMANDS, "x", "garbage".getBytes(StandardCharsets.UTF_8));
        kafka().sendRaw(Topics.MEMBERSHIP_EVENTS, "x", "{}".getBytes(StandardCharsets.UTF_8), Map.of("ce_type", "no.id"));
        String connection = "conn-" + UUID.randomUUID();
        kafka().send(Topics.USER_COMMANDS, connection, UserCommand.create(connection, profile("after@x.test", true), null));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection).body("records",
                hasSize(1)));
        assertTrue(kafka().await(Topics.AUDIT_DLQ, Duration.ofSeconds(10), Optional::of).isPresent());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.matchesRegex("(?s).*audit_dead_letter_records(\\{[^}]*\\})? [1-9].*")));
    }

    @Inject
    KafkaClientService kafkaClients;

    /**
     * Holds the audit consumer while {@code send} produces, so it then takes what was sent as one poll (up to
     * max.poll.records).
     */
    private void whilePaused(Runnable send) {
        KafkaConsumer<Object, Object> consumer = kafkaClients.getConsumer(AuditConsumer.AUDITED);
        await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.getAssignments().await()
                .atMost(Duration.ofSeconds(10)).isEmpty());
        consumer.pause().await().atMost(Duration.ofSeconds(10));
        try {
            send.run();
        } finally {
            consumer.resume().await().atMost(Duration.ofSeconds(10));
        }
    }

    private static ProducerRecord<String, byte[]> contract(String topic, String key, Object contract) {
        return new ProducerRecord<>(topic, key, ContractJson.write(contract));
    }

    /** A connection's chain from the database, oldest first: seq, message id and transaction of each record. */
    private static List<String[]> chain(String connection) throws SQLException {
        try (Connection db = sql(); var statement = db.prepareStatement(
                "select seq, message_id, xmin::text from audit_log where connection_id = ? order by seq")) {
            statement.setString(1, connection);
            List<String[]> rows = new java.util.ArrayList<>();
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new String[] {result.getString(1), result.getString(2), result.getString(3)});
                }
            }
            return rows;
        }
    }

    private static Optional<ConsumerRecord<String, byte[]>> deadLetter(String topic, RecordMetadata original) {
        return kafka().await(Topics.AUDIT_DLQ, Duration.ofSeconds(30), record -> Optional.of(record).filter(r ->
                topic.equals(KafkaTestClient.header(r, "dead-letter-topic"))
                        && Integer.toString(original.partition()).equals(KafkaTestClient.header(r, "dead-letter-partition"))
                        && Long.toString(original.offset()).equals(KafkaTestClient.header(r, "dead-letter-offset"))));
    }

    @Test
    void aPollOfManyConnectionsIsRecordedOnceInPartitionOrderAndAPoisonRecordInItIsParkedAlone() throws Exception {
        List<String> connections = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> "poll-" + i + "-" + UUID.randomUUID()).toList();
        List<ProducerRecord<String, byte[]>> commands = new java.util.ArrayList<>();
        List<ProducerRecord<String, byte[]>> outcomes = new java.util.ArrayList<>();
        Map<String, List<String>> sentCommands = new java.util.HashMap<>();
        Map<String, List<String>> sentOutcomes = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
            String connection = connections.get(i % connections.size());
            UserCommand command = UserCommand.create(connection, profile("p" + i + "@x.test", true), null);
            commands.add(contract(Topics.USER_COMMANDS, connection, command));
            outcomes.add(contract(Topics.COMMAND_OUTCOMES, connection, CommandOutcome.applied(command.commandId(),
                    connection, snapshot(connection, "p" + i + "@x.test", 1, true))));
            sentCommands.computeIfAbsent(connection, c -> new java.util.ArrayList<>()).add("command:" + command.commandId());
            sentOutcomes.computeIfAbsent(connection, c -> new java.util.ArrayList<>()).add("outcome:" + command.commandId());
        }
        // Redelivered within the same poll, and a record that does not deserialize amid the others.
        commands.add(commands.get(10));
        commands.add(50, new ProducerRecord<>(Topics.USER_COMMANDS, connections.get(0),
                "garbage".getBytes(StandardCharsets.UTF_8)));
        List<RecordMetadata> landed = new java.util.ArrayList<>();
        whilePaused(() -> {
            landed.addAll(kafka().sendAll(commands));
            kafka().sendAll(outcomes);
        });

        for (String connection : connections) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(50, chain(connection).size()));
            List<String[]> chain = chain(connection);
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 50).mapToObj(Long::toString).toList(),
                    chain.stream().map(row -> row[0]).toList(), "one unbroken sequence");
            List<String> messages = chain.stream().map(row -> row[1]).toList();
            assertEquals(sentCommands.get(connection), messages.stream().filter(m -> m.startsWith("command:")).toList(),
                    "the commands in partition order, each once");
            assertEquals(sentOutcomes.get(connection), messages.stream().filter(m -> m.startsWith("outcome:")).toList(),
                    "the outcomes in partition order, each once");
            given().get(ADMIN + "/verify?connection=" + connection).then().statusCode(200)
                    .body("intact", equalTo(true)).body("records", equalTo(50));
        }
        // Each poll was recorded by one transaction, whatever the number of connections and topics in it: a
        // transaction per connection would make at least 4, one per topic 2. The 202 records usually come in one
        // poll; a fetch already in flight when the consumer was paused can split it in two under load.
        long transactions = connections.stream().flatMap(connection -> {
            try {
                return chain(connection).stream();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }).map(row -> row[2]).distinct().count();
        assertTrue(transactions >= 1 && transactions <= 2, transactions + " transactions for the polls of two topics");

        ConsumerRecord<String, byte[]> parked = deadLetter(Topics.USER_COMMANDS, landed.get(50)).orElseThrow();
        assertEquals("garbage", new String(parked.value(), StandardCharsets.UTF_8));
        assertEquals(connections.get(0), parked.key());
        assertEquals("not a readable user command", KafkaTestClient.header(parked, "dead-letter-reason"));
    }

    @Test
    void aRecordTheDatabaseRefusesIsParkedAndItsNeighboursAreRecordedInOrder() throws Exception {
        String connection = "refused-" + UUID.randomUUID();
        List<ProducerRecord<String, byte[]>> commands = new java.util.ArrayList<>();
        List<String> stored = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // PostgreSQL's jsonb and text refuse the NUL character: this command can never be stored.
            UserCommand command = UserCommand.create(connection, profile(i == 2 ? "nul\u0000@x.test" : "n" + i + "@x.test",
                    true), null);
            commands.add(contract(Topics.USER_COMMANDS, connection, command));
            if (i != 2) {
                stored.add("command:" + command.commandId());
            }
        }
        List<RecordMetadata> landed = new java.util.ArrayList<>();
        whilePaused(() -> landed.addAll(kafka().sendAll(commands)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(4, chain(connection).size()));
        List<String[]> chain = chain(connection);
        assertEquals(List.of("1", "2", "3", "4"), chain.stream().map(row -> row[0]).toList());
        assertEquals(stored, chain.stream().map(row -> row[1]).toList());
        given().get(ADMIN + "/verify?connection=" + connection).then().statusCode(200).body("intact", equalTo(true));
        ConsumerRecord<String, byte[]> parked = deadLetter(Topics.USER_COMMANDS, landed.get(2)).orElseThrow();
        assertEquals(commands.get(2).value().length, parked.value().length, "the command as it was sent");
    }

    /**
     * The audit database away for longer than the consumer once retried (five attempts over about 5 s, after
     * which every record consumed meanwhile went to audit.dlq): readiness says so, nothing is parked, and every
     * record is stored once, in order, when the database is back.
     */
    @Test
    void aDatabaseOutageParksNothingAndEveryRecordIsStoredWhenItEnds() throws Exception {
        String connection = "outage-" + UUID.randomUUID();
        try (DatabaseOutage outage = outage()) {
            for (int i = 0; i < 10; i++) {
                String userName = "o" + i + "@x.test";
                UserCommand create = UserCommand.create(connection, profile(userName, true), null);
                exchange(create, CommandOutcome.applied(create.commandId(), connection,
                        snapshot(connection, userName, 1, true)));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503));
            Thread.sleep(15_000);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(20, chain(connection).size()));
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(Integer::toString).toList(),
                chain(connection).stream().map(row -> row[0]).toList());
        given().get(ADMIN + "/verify?connection=" + connection).then().statusCode(200).body("intact", equalTo(true));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
        assertTrue(kafka().await(Topics.AUDIT_DLQ, Duration.ofSeconds(5), record -> Optional.of(record)
                .filter(parked -> connection.equals(parked.key()))).isEmpty(), "nothing parked for an outage");
    }

    /** Replicas starting together (or a slow start meeting the first scheduled check) each ensure a month. */
    @Test
    void partitionsEnsuredAtOnceAreCreatedOnceWithoutFailingEither() throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                YearMonth month = YearMonth.of(2090, attempt + 1);
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Void>> ensured = new java.util.ArrayList<>();
                for (int caller = 0; caller < 4; caller++) {
                    ensured.add(callers.submit(() -> {
                        go.await();
                        try {
                            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                                    () -> retention.ensurePartition(month)));
                        } catch (Throwable failure) {
                            throw new Exception("ensuring " + month + " failed", failure);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<Void> call : ensured) {
                    call.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
                try (Connection db = sql(); Statement statement = db.createStatement();
                     var rows = statement.executeQuery("select count(*) from pg_inherits i join pg_class c on "
                             + "c.oid = i.inhrelid where c.relname = '" + Retention.partitionName(month) + "'")) {
                    rows.next();
                    assertEquals(1, rows.getInt(1), month.toString());
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void retentionDropsWholeExpiredMonthsAndRecordsIt() throws Throwable {
        YearMonth old = YearMonth.of(2020, 1);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> retention.ensurePartition(old)));
        try (Connection db = sql(); Statement statement = db.createStatement()) {
            statement.executeUpdate("insert into audit_log (id, connection_id, seq, kind, message_id, action, payload, "
                    + "recorded_at, prev_hash, hash) values (gen_random_uuid(), 'old-conn', 1, 'command', 'old-1', "
                    + "'user.create', '{}', '2020-01-15T00:00:00Z', 'x', 'y')");
        }

        List<String> dropped = VertxContextSupport.subscribeAndAwait(() -> retention.enforce());

        assertTrue(dropped.contains("audit_log_y2020m01"), dropped.toString());
        assertTrue(!dropped.contains(Retention.partitionName(YearMonth.now())), "the current month stays");
        records("connection=old-conn").body("records", hasSize(0));
        try (Connection db = sql(); Statement statement = db.createStatement();
             var rows = statement.executeQuery("select count(*) from audit_retention "
                     + "where partition_name = 'audit_log_y2020m01'")) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1));
        }
    }

    @Test
    void exportStreamsNdjsonAndCsvForATimeRange() throws Exception {
        String connection = "bulk-" + UUID.randomUUID();
        int rows = 100_000;
        try (Connection db = sql(); Statement statement = db.createStatement()) {
            statement.executeUpdate("insert into audit_log (id, connection_id, seq, kind, message_id, action, payload, "
                    + "recorded_at, prev_hash, hash) select gen_random_uuid(), '" + connection + "', n, 'command', "
                    + "'bulk-' || n, 'user.create', jsonb_build_object('n', n), "
                    + "timestamptz '2026-01-01T00:00:00Z' + make_interval(secs => n), 'p', 'h' "
                    + "from generate_series(1, " + rows + ") n");
        }
        Response ndjson = given().get(ADMIN + "/export?format=ndjson&connection=" + connection);
        ndjson.then().statusCode(200).contentType(containsString("application/x-ndjson"));
        assertEquals(rows, ndjson.asString().split("\n").length);
        Response csv = given().get(ADMIN + "/export?format=csv&connection=" + connection
                + "&from=2026-01-01T00:00:01Z&to=2026-01-01T00:00:11Z");
        csv.then().statusCode(200).contentType(containsString("text/csv"));
        String[] lines = csv.asString().split("\n");
        assertTrue(lines[0].startsWith("id,recordedAt,connectionId"), lines[0]);
        assertEquals(11, lines.length, "the header and the ten records of those ten seconds");
        assertTrue(lines[1].contains(",1,command,user.create,"), lines[1]);
    }

    @Test
    void badQueriesAre400() {
        given().get(ADMIN + "/records?limit=0").then().statusCode(400);
        given().get(ADMIN + "/records?from=yesterday").then().statusCode(400);
        given().get(ADMIN + "/records?cursor=bm9wZQ").then().statusCode(400);
        given().get(ADMIN + "/verify").then().statusCode(400);
        given().get(ADMIN + "/activity").then().statusCode(400);
        given().get(ADMIN + "/activity?connection=c&bucket=week").then().statusCode(400);
        given().get(ADMIN + "/activity?connection=c&bucket=hour&from=2020-01-01T00:00:00Z").then().statusCode(400)
                .body("detail", containsString("buckets"));
    }

    @Test
    void activityCountsMemberEventsAndRefusedCommandsPerHour() {
        String connection = "conn-" + UUID.randomUUID();
        for (String change : List.of("created", "created", "updated", "deactivated", "removed")) {
            kafka().sendRaw(Topics.MEMBERSHIP_EVENTS, "m", "{}".getBytes(StandardCharsets.UTF_8),
                    Map.of("ce_id", UUID.randomUUID().toString(),
                            "ce_type", "dev.scimsync.membership.member." + change + ".v1", "ce_connectionid", connection));
        }
        UserCommand refused = UserCommand.create(connection, profile("dup@x.test", true), null);
        exchange(refused, CommandOutcome.rejected(refused.commandId(), connection,
                new CommandFailure(CommandFailure.Reason.UNIQUENESS, "exists")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> records("connection=" + connection)
                .body("records", hasSize(7)));

        var activity = given().get(ADMIN + "/activity?connection=" + connection).then().statusCode(200)
                .body("bucket", equalTo("hour")).body("points", hasSize(49)).extract().jsonPath();
        assertEquals(2, activity.getInt("points[-1].created") + activity.getInt("points[-2].created"));
        assertEquals(1, activity.getInt("points[-1].errors") + activity.getInt("points[-2].errors"));
        assertEquals(1, activity.getInt("points[-1].removed") + activity.getInt("points[-2].removed"));
        assertEquals(0, activity.getInt("points[0].created"));
        var daily = given().get(ADMIN + "/activity?bucket=day&connection=" + connection).then().statusCode(200)
                .body("points", hasSize(31)).extract().jsonPath();
        assertEquals(1, daily.getInt("points[-1].updated") + daily.getInt("points[-2].updated"));
        assertEquals(1, daily.getInt("points[-1].deactivated") + daily.getInt("points[-2].deactivated"));
    }
}
