package dev.scimsync.groupsync.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.contracts.Topics;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.groupsync.TestTenant;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Team events: a user entering or leaving a team, however it happens, is one event, in order. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class TeamEventsTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Test
    void aMembersWayThroughGroupsIsOneEventPerTeamChange() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(2);
        String user = users.get(0);
        String group = apply(GroupCommand.create(tenant.connectionId, tenant.organization + ":events", null, users,
                null)).group().id();
        // A second group of the same team: joining it changes nothing in the team.
        String second = apply(GroupCommand.create(tenant.connectionId, "second", null, List.of(), null)).group().id();
        given().contentType("application/json").body(java.util.Map.of("organization", tenant.organization,
                "team", "events")).put("/internal/v1/admin/connections/{c}/group-mappings/{g}", tenant.connectionName,
                second).then().statusCode(200);
        apply(GroupCommand.modify(tenant.connectionId, second, List.of(GroupEdit.addMembers(List.of(user))), null, null));
        // Rename: out of events, into renamed - but still in events through the second group.
        apply(GroupCommand.modify(tenant.connectionId, group, List.of(GroupEdit.displayName(tenant.organization
                + ":renamed")), null, null));
        publishUser(tenant, user, false, 2);
        publishUser(tenant, user, true, 3);
        apply(GroupCommand.delete(tenant.connectionId, group, null, null));

        List<ConsumerRecord<String, byte[]>> events = kafka.awaitEvents(Topics.TEAM_EVENTS, user, 6,
                Duration.ofSeconds(30));

        List<String> seen = events.stream().map(e -> KafkaTestClient.header(e, "ce_type")
                .replace("dev.scimsync.team.member.", "").replace(".v1", "") + " " + data(e).path("team").asText())
                .toList();
        assertEquals(List.of("added events", "added renamed"), seen.subList(0, 2));
        // Deactivation takes the user out of both teams, re-activation brings it back (one event per team,
        // in no particular order between the two teams of one change).
        assertEquals(java.util.Set.of("removed events", "removed renamed"), java.util.Set.copyOf(seen.subList(2, 4)));
        assertEquals(java.util.Set.of("added events", "added renamed"), java.util.Set.copyOf(seen.subList(4, 6)));
        JsonNode first = data(events.get(0));
        assertEquals(user, first.path("memberId").asText());
        assertEquals(tenant.userName(user), first.path("userName").asText());
        assertEquals(tenant.organization, first.path("organization").asText());
        assertEquals(tenant.connectionId, KafkaTestClient.header(events.get(0), "ce_connectionid"));
        assertEquals(user, KafkaTestClient.header(events.get(0), "ce_subject"));
        // Deleting the group took the user out of renamed only (the second group keeps it in events).
        List<ConsumerRecord<String, byte[]>> withDelete = kafka.awaitEvents(Topics.TEAM_EVENTS, user, 7,
                Duration.ofSeconds(30));
        assertEquals("dev.scimsync.team.member.removed.v1", KafkaTestClient.header(withDelete.get(6), "ce_type"));
        assertEquals("renamed", data(withDelete.get(6)).path("team").asText());

        ConsumerRecord<String, byte[]> created = kafka.await(Topics.TEAM_EVENTS, Duration.ofSeconds(30),
                r -> "dev.scimsync.team.created.v1".equals(KafkaTestClient.header(r, "ce_type"))
                        && data(r).path("organization").asText().equals(tenant.organization)
                        && data(r).path("team").asText().equals("events")
                        ? java.util.Optional.of(r) : java.util.Optional.empty()).orElseThrow();
        assertEquals(data(created).path("teamId").asText(), first.path("teamId").asText());
        assertEquals(created.key(), first.path("teamId").asText());
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

    private CommandOutcome apply(GroupCommand command) {
        CommandOutcome outcome = kafka.apply(command);
        assertEquals(CommandOutcome.Status.APPLIED, outcome.status(), () -> String.valueOf(outcome.failure()));
        return outcome;
    }

    private void publishUser(TestTenant tenant, String userId, boolean active, long version) {
        kafka.send(Topics.COMMAND_OUTCOMES, tenant.connectionId, CommandOutcome.applied(UUID.randomUUID(),
                tenant.connectionId, UserSnapshots.of(userId, tenant, active, version)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
                io.restassured.RestAssured.given().get("/internal/v1/admin/organizations/{o}/teams/events/members",
                        tenant.organization).jsonPath().getList("members.id").contains(userId) == active);
    }

    private static JsonNode data(ConsumerRecord<String, byte[]> record) {
        try {
            return ContractJson.mapper().readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
