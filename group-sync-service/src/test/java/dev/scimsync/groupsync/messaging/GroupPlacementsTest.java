package dev.scimsync.groupsync.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.contracts.GroupPlacements;
import dev.scimsync.contracts.Topics;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.groupsync.TestTenant;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, groups place people: every change of a user's mapped groups - joining, leaving, an explicit mapping
 * with a role, a deleted group - publishes the user's whole set of placements on {@code group.placements} for
 * membership-service, in order; an unmapped group and a deactivation publish nothing.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class GroupPlacementsTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Test
    void eachChangeOfAUsersMappedGroupsPublishesItsWholeSetOfPlacements() {
        TestTenant tenant = new TestTenant();
        String user = tenant.users(1).get(0);
        String named = apply(GroupCommand.create(tenant.connectionId, tenant.organization + ":backend", null,
                List.of(user), null)).group().id();
        // Unmapped: joining it places nowhere, and publishes nothing; mapped with a role, it places.
        String admins = apply(GroupCommand.create(tenant.connectionId, "Admins", null, List.of(user), null)).group().id();
        io.restassured.RestAssured.given().contentType("application/json").body(Map.of("organization",
                        tenant.organization, "team", "platform", "role", "owner"))
                .put("/internal/v1/admin/connections/{c}/group-mappings/{g}", tenant.connectionName, admins)
                .then().statusCode(200);
        // A deactivation is membership-service's to apply: its groups are unchanged, nothing is published.
        kafka.send(Topics.COMMAND_OUTCOMES, tenant.connectionId, CommandOutcome.applied(UUID.randomUUID(),
                tenant.connectionId, UserSnapshots.of(user, tenant, false, 2)));
        await().atMost(Duration.ofSeconds(15)).until(() -> !io.restassured.RestAssured.given()
                .get("/internal/v1/admin/organizations/{o}/teams/backend/members", tenant.organization).jsonPath()
                .getList("members.id").contains(user));
        apply(GroupCommand.modify(tenant.connectionId, named, List.of(GroupEdit.removeMembers(List.of(user))), null,
                null));
        apply(GroupCommand.delete(tenant.connectionId, admins, null, null));

        // In order, and nothing else in between (an extra record would shift this list).
        List<GroupPlacements> published = kafka.awaitEvents(Topics.GROUP_PLACEMENTS, user, 4, Duration.ofSeconds(30))
                .stream().map(GroupPlacementsTest::placements).toList();

        GroupPlacements.Place backend = new GroupPlacements.Place(tenant.organization, "backend", "member",
                tenant.organization + ":backend");
        GroupPlacements.Place platform = new GroupPlacements.Place(tenant.organization, "platform", "owner", "Admins");
        assertEquals(List.of(List.of(backend), List.of(backend, platform), List.of(platform), List.of()),
                published.stream().map(GroupPlacements::placements).toList());
        published.forEach(p -> assertEquals(tenant.connectionId, p.connectionId()));
        published.forEach(p -> assertEquals(user, p.userId()));
    }

    private CommandOutcome apply(GroupCommand command) {
        CommandOutcome outcome = kafka.apply(command);
        assertEquals(CommandOutcome.Status.APPLIED, outcome.status(), () -> String.valueOf(outcome.failure()));
        return outcome;
    }

    private static GroupPlacements placements(ConsumerRecord<String, byte[]> record) {
        return ContractJson.read(record.value(), GroupPlacements.class);
    }
}
