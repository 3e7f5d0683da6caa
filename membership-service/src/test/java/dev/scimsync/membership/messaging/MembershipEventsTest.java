package dev.scimsync.membership.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Membership events: outbox rows written with each change, published by the Debezium relay as CloudEvents. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class MembershipEventsTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    private static UserProfile profile(String userName, boolean active, String role, String title) {
        var attributes = ContractJson.mapper().createObjectNode();
        if (title != null) {
            attributes.put("title", title);
        }
        return new UserProfile(userName, null, active, attributes, new Placement(role, null, null));
    }

    @Test
    void eachChangeOfAMemberIsOneOutboxRowAndOneEventInCommitOrder() throws Exception {
        String connection = TestTenant.connectionId();
        String userName = "events-" + System.nanoTime() + "@x.test";
        CommandOutcome created = kafka.apply(UserCommand.create(connection, profile(userName, true, "member", null), null));
        String id = created.user().id();
        long version = created.user().version();
        List<UserProfile> changes = List.of(
                profile(userName, true, "member", "Engineer"),   // updated
                profile(userName, false, "member", "Engineer"),  // deactivated
                profile(userName, true, "member", "Engineer"),   // reactivated
                profile(userName, true, "owner", "Engineer"));   // role changed
        for (UserProfile change : changes) {
            CommandOutcome applied = kafka.apply(UserCommand.replace(connection, id, change, version, null));
            assertEquals(CommandOutcome.Status.APPLIED, applied.status(), () -> String.valueOf(applied.failure()));
            version = applied.user().version();
        }
        // Unchanged profile (Okta's full PUTs): no event.
        version = kafka.apply(UserCommand.replace(connection, id, changes.get(3), version, null)).user().version();
        assertEquals(CommandOutcome.Status.APPLIED, kafka.apply(UserCommand.delete(connection, id, version, null)).status());

        List<String> expected = List.of("created", "updated", "deactivated", "reactivated", "role_changed", "removed");
        List<ConsumerRecord<String, byte[]>> events = kafka.awaitEvents(Topics.MEMBERSHIP_EVENTS, id, expected.size(),
                Duration.ofSeconds(30));

        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(KafkaTestClient.header(e, "ce_type")));
        assertEquals(expected.stream().map(k -> "dev.scimsync.membership.member." + k + ".v1").toList(), types);
        ConsumerRecord<String, byte[]> roleChanged = events.get(4);
        assertEquals(id, roleChanged.key());
        assertEquals(id, KafkaTestClient.header(roleChanged, "ce_subject"));
        assertEquals(connection, KafkaTestClient.header(roleChanged, "ce_connectionid"));
        assertEquals("1.0", KafkaTestClient.header(roleChanged, "ce_specversion"));
        assertEquals("/scim-provisioning/membership-service", KafkaTestClient.header(roleChanged, "ce_source"));
        JsonNode data = ContractJson.mapper().readTree(roleChanged.value());
        assertEquals(id, data.path("memberId").asText());
        assertEquals(userName, data.path("userName").asText());
        assertEquals("test-org", data.path("organization").asText());
        assertEquals("owner", data.path("role").asText());
        assertEquals("member", data.path("previousRole").asText());
        assertEquals("active", data.path("state").asText());
        assertEquals(KafkaTestClient.header(roleChanged, "ce_id"), data.path("eventId").asText());
        JsonNode removed = ContractJson.mapper().readTree(events.get(5).value());
        assertEquals(userName, removed.path("userName").asText());

        // Exactly one event row per change, no more; the member's state rows (membership.state) end with its
        // tombstone, as it was removed last.
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select count(*) from outbox_event where subject = '" + id + "' and topic = 'membership.events'")) {
            rows.next();
            assertEquals(expected.size(), rows.getInt(1));
        }
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select payload is null from outbox_event where subject = '" + id + "' and topic = 'membership.state' "
                        + "order by created_at desc limit 1")) {
            assertTrue(rows.next(), "the member's state was written");
            assertTrue(rows.getBoolean(1), "a removed member's last state is a tombstone");
        }
    }

    @Test
    void theCommandsTraceContinuesOnItsOutcomeAndItsEvents() {
        String traceId = java.util.UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        UserCommand create = UserCommand.create(TestTenant.connectionId(), profile("traced-" + System.nanoTime()
                + "@x.test", true, "member", null), null);

        kafka.sendRaw(Topics.USER_COMMANDS, create.connectionId(), ContractJson.write(create),
                java.util.Map.of("traceparent", traceparent));

        ConsumerRecord<String, byte[]> outcome = kafka.await(Topics.COMMAND_OUTCOMES, Duration.ofSeconds(30),
                r -> ContractJson.read(r.value(), CommandOutcome.class).commandId().equals(create.commandId())
                        ? java.util.Optional.of(r) : java.util.Optional.empty()).orElseThrow();
        String outcomeTrace = KafkaTestClient.header(outcome, "traceparent");
        assertEquals(traceId, outcomeTrace.split("-")[1], "the outcome continues the command's trace");
        String id = ContractJson.read(outcome.value(), CommandOutcome.class).user().id();
        ConsumerRecord<String, byte[]> created = kafka.awaitEvents(Topics.MEMBERSHIP_EVENTS, id, 1,
                Duration.ofSeconds(30)).get(0);
        assertEquals(traceparent, KafkaTestClient.header(created, "traceparent"));
    }

    @Test
    void membersAddedByHandHaveNoConnection() throws Exception {
        String email = "manual-" + System.nanoTime() + "@x.test";
        io.restassured.RestAssured.given().contentType("application/json")
                .body(java.util.Map.of("email", email, "role", "editor"))
                .post("/internal/v1/admin/organizations/test-org/members").then().statusCode(201);
        String id;
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select id from account where user_name = '" + email + "'")) {
            rows.next();
            id = rows.getString(1);
        }

        ConsumerRecord<String, byte[]> created = kafka.awaitEvents(Topics.MEMBERSHIP_EVENTS, id, 1,
                Duration.ofSeconds(30)).get(0);

        assertEquals("dev.scimsync.membership.member.created.v1", KafkaTestClient.header(created, "ce_type"));
        assertNull(KafkaTestClient.header(created, "ce_connectionid"));
        assertEquals("manual", ContractJson.mapper().readTree(created.value()).path("source").asText());
    }

    @Test
    void theOutboxAcceptsExactlyTheCataloguedEventTypes() throws Exception {
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select pg_get_constraintdef(oid) from pg_constraint where conname = 'outbox_event_type'")) {
            rows.next();
            java.util.Set<String> allowed = new java.util.TreeSet<>();
            java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("'([^']+)'").matcher(rows.getString(1));
            while (quoted.find()) {
                allowed.add(quoted.group(1));
            }
            java.util.Set<String> catalogued = new java.util.TreeSet<>(dev.scimsync.contracts.EventTypes.MEMBERSHIP);
            catalogued.addAll(dev.scimsync.contracts.EventTypes.SCIM_CREDENTIALS);
            catalogued.addAll(dev.scimsync.contracts.EventTypes.MEMBERSHIP_STATE);
            assertEquals(catalogued, allowed);
        }
    }

    /**
     * V21: the functions that write a batch's events and states plan their INSERT once per connection. Redefining one
     * with {@code create or replace} drops the setting unless the new definition says it again (then every batch
     * plans its joins again: the member insert took twice as long).
     */
    @Test
    void theOutboxFunctionsKeepTheirGenericPlan() throws Exception {
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select proname, array_to_string(proconfig, ',') from pg_proc "
                        + "where proname in ('emit_member_events', 'emit_member_states') order by proname")) {
            java.util.Map<String, String> settings = new java.util.TreeMap<>();
            while (rows.next()) {
                settings.put(rows.getString(1), rows.getString(2));
            }
            assertEquals(java.util.Map.of("emit_member_events", "plan_cache_mode=force_generic_plan",
                    "emit_member_states", "plan_cache_mode=force_generic_plan"), settings);
        }
    }

    /** A member created with a team: one state record, naming the team (not one without teams, then one with). */
    @Test
    void aMemberCreatedWithATeamWritesItsStateOnceWithTheTeam() throws Exception {
        String userName = "state-" + System.nanoTime() + "@x.test";
        CommandOutcome created = kafka.apply(UserCommand.create(TestTenant.connectionId(), new UserProfile(userName,
                null, true, ContractJson.mapper().createObjectNode(), new Placement("editor", null, "State Team")), null));
        assertEquals(CommandOutcome.Status.APPLIED, created.status(), () -> String.valueOf(created.failure()));
        List<JsonNode> states = new ArrayList<>();
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select cast(payload as text) from outbox_event where subject = '" + created.user().id()
                        + "' and topic = 'membership.state'")) {
            while (rows.next()) {
                states.add(ContractJson.mapper().readTree(rows.getString(1)));
            }
        }
        assertEquals(1, states.size(), () -> "one state record: " + states);
        assertEquals("editor", states.get(0).path("role").asText());
        assertEquals("[\"State Team\"]", states.get(0).path("teams").toString());
    }

    /**
     * V22 and TimeOrderedIds: what a create inserts is keyed by time-ordered ids (UUID version 7: milliseconds
     * first), so a sync's rows go in at the right-hand end of account's, member's and outbox_event's keys.
     */
    @Test
    void aCreatedAccountAndItsOutboxRowsHaveTimeOrderedIds() throws Exception {
        long before = System.currentTimeMillis();
        CommandOutcome created = kafka.apply(UserCommand.create(TestTenant.connectionId(), profile(
                "ordered-" + System.nanoTime() + "@x.test", true, "member", null), null));
        assertEquals(CommandOutcome.Status.APPLIED, created.status(), () -> String.valueOf(created.failure()));
        java.util.UUID account = java.util.UUID.fromString(created.user().id());
        assertEquals(7, account.version());
        List<java.util.UUID> outbox = new ArrayList<>();
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select id from outbox_event where subject = '" + account + "' order by created_at")) {
            while (rows.next()) {
                outbox.add(rows.getObject(1, java.util.UUID.class));
            }
        }
        assertEquals(2, outbox.size(), () -> "an event and a state: " + outbox);
        for (java.util.UUID id : outbox) {
            assertEquals(7, id.version(), id::toString);
            assertEquals(2, id.variant(), id::toString);
            long millis = id.getMostSignificantBits() >>> 16;
            assertTrue(millis >= before - 1000 && millis <= System.currentTimeMillis(), id + " made at " + millis);
        }
    }

}
