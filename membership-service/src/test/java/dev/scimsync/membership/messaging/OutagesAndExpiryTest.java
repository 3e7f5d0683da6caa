package dev.scimsync.membership.messaging;

import static dev.scimsync.membership.messaging.CommandTestSupport.origin;
import static dev.scimsync.membership.messaging.CommandTestSupport.profile;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.membership.persistence.StoredDataExpiry;
import dev.scimsync.testsupport.DatabaseOutage;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** A database outage parks nothing; what is stored for a while expires, and a removed user's profile goes. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class OutagesAndExpiryTest {

    @Inject
    StoredDataExpiry expiry;

    private static KafkaTestClient kafka() {
        return KafkaTestClient.forQuarkusTest();
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }


    private static JsonNode storedOutcome(UUID commandId) throws SQLException {
        try (Connection db = TestDatabase.connect(); var statement = db.prepareStatement(
                "select cast(outcome as text) from processed_command where command_id = ?")) {
            statement.setObject(1, commandId);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? ContractJson.mapper().readTree(rows.getString(1)) : null;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * membership-service's database away for longer than any retry window: commands consumed meanwhile wait,
     * readiness says why, nothing reaches the dead-letter topic, and each command is applied once when the
     * database is back.
     */
    @Test
    void commandsDuringADatabaseOutageAreAppliedOnceWhenItEndsAndNothingIsParked() throws Exception {
        String connection = TestTenant.connectionId();
        List<UUID> commands = new ArrayList<>();
        try (DatabaseOutage outage = DatabaseOutage.begin(config("quarkus.datasource.jdbc.url"),
                config("quarkus.datasource.username"), config("quarkus.datasource.password"))) {
            for (int i = 0; i < 10; i++) {
                UserCommand create = UserCommand.create(connection, profile("outage-" + i + "-" + UUID.randomUUID()
                        + "@example.com", true, "{}"), origin());
                commands.add(create.commandId());
                kafka().send(Topics.USER_COMMANDS, connection, create);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503));
            Thread.sleep(15_000);
        }
        Map<UUID, CommandOutcome> outcomes = kafka().awaitOutcomes(commands);
        outcomes.values().forEach(outcome -> assertEquals(CommandOutcome.Status.APPLIED, outcome.status(),
                () -> String.valueOf(outcome.failure())));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
        assertTrue(kafka().await(Topics.USER_COMMANDS_DLQ, Duration.ofSeconds(5), record -> Optional.of(record)
                .filter(parked -> connection.equals(parked.key()))).isEmpty(), "nothing parked for an outage");
    }

    @Test
    void expiredRowsGoFreshOnesStayAndARemovedUsersProfileIsScrubbed() throws Exception {
        String connection = TestTenant.connectionId();
        UserCommand createLeaver = UserCommand.create(connection, profile("leaver-" + UUID.randomUUID()
                + "@example.com", true, "{\"title\":\"Engineer\"}"), origin());
        UserSnapshot leaver = kafka().apply(createLeaver).user();
        UserCommand createStayer = UserCommand.create(connection, profile("stayer-" + UUID.randomUUID()
                + "@example.com", true, "{\"title\":\"Engineer\"}"), origin());
        kafka().apply(createStayer);
        assertEquals(CommandOutcome.Status.APPLIED, kafka().apply(UserCommand.delete(connection, leaver.id(), null,
                origin())).status());
        UUID expiredCommand = UUID.randomUUID();
        UUID expiredError = UUID.randomUUID();
        UUID freshError = UUID.randomUUID();
        try (Connection db = TestDatabase.connect(); var statement = db.createStatement()) {
            statement.execute("insert into processed_command (command_id, connection_id, outcome, processed_at) values ('"
                    + expiredCommand + "', '" + connection + "', '{}', now() - interval '15 days')");
            statement.execute("insert into provisioning_error (id, connection_id, command_id, operation, reason, detail, "
                    + "suggested_fix, occurred_at) values ('" + expiredError + "', '" + connection + "', '"
                    + UUID.randomUUID() + "', 'user create', 'NO_SEATS', 'd', 'f', now() - interval '31 days'), ('"
                    + freshError + "', '" + connection + "', '" + UUID.randomUUID()
                    + "', 'user create', 'NO_SEATS', 'd', 'f', now() - interval '29 days')");
            // Held changes hold the person's userName and the IdP's command: decided long ago, decided lately, held.
            for (String[] held : new String[][] {{"approved", "now() - interval '31 days'"},
                    {"rejected", "now() - interval '29 days'"}, {"held", "null"}}) {
                statement.execute("insert into held_change (id, connection_id, command_id, account_id, account_version, "
                        + "user_name, kind, command, held_at, state, decided_at) values (gen_random_uuid(), '"
                        + connection + "', gen_random_uuid(), gen_random_uuid(), 1, 'held-" + held[0] + "@example.com', "
                        + "'deactivate', '{}', now() - interval '40 days', '" + held[0] + "', " + held[1] + ")");
            }
            statement.execute("insert into deprovisioning (connection_id, account_id, applied_at) values ('"
                    + connection + "', gen_random_uuid(), now() - interval '3 days'), ('" + connection
                    + "', gen_random_uuid(), now() - interval '1 hour')");
        }

        expiry.expire().await().atMost(Duration.ofSeconds(30));

        assertNull(storedOutcome(expiredCommand), "older than retention.processed-commands (14 days)");
        try (Connection db = TestDatabase.connect(); var rows = db.createStatement().executeQuery(
                "select id from provisioning_error where id in ('" + expiredError + "', '" + freshError + "')")) {
            assertTrue(rows.next());
            assertEquals(freshError, rows.getObject(1), "only the error older than 30 days expired");
            assertTrue(!rows.next());
        }
        try (Connection db = TestDatabase.connect(); var rows = db.createStatement().executeQuery(
                "select string_agg(state, ',' order by state) from held_change where connection_id = '" + connection
                        + "'")) {
            rows.next();
            assertEquals("held,rejected", rows.getString(1), "decided more than 30 days ago: gone; held: kept");
        }
        try (Connection db = TestDatabase.connect(); var rows = db.createStatement().executeQuery(
                "select count(*) filter (where applied_at < now() - interval '2 days'), count(*) filter (where "
                        + "applied_at < now() - interval '30 minutes') from deprovisioning where connection_id = '"
                        + connection + "'")) {
            rows.next();
            assertEquals(0, rows.getInt(1), "the guard's window is at most a day: the 3-day-old count went");
            assertEquals(1, rows.getInt(2), "the hour-old count stays");
        }
        JsonNode scrubbed = storedOutcome(createLeaver.commandId()).path("user");
        assertEquals(leaver.id(), scrubbed.path("id").asText(), "the id stays: redelivery is still answered");
        assertEquals(StoredDataExpiry.REMOVED, scrubbed.path("profile").path("userName").asText(), scrubbed.toString());
        assertEquals(0, scrubbed.path("profile").path("attributes").size(), scrubbed.toString());
        assertEquals("Engineer", storedOutcome(createStayer.commandId()).path("user").path("profile")
                .path("attributes").path("title").asText(), "a user who stays keeps their profile");
        assertTrue(ContractJson.read(storedOutcome(createLeaver.commandId()).toString().getBytes(),
                CommandOutcome.class).user() != null, "a scrubbed outcome is still a readable outcome");
    }
}
