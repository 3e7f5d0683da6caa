package dev.scimsync.groupsync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.internal.DirectTeam;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.groupsync.TestTenant;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Group-to-team mapping as admins see it through the teams and group-mappings APIs. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class TeamsAndMappingsTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Test
    void aGroupNamedOrganizationTeamFillsThatTeamAndARenameMovesItsMembers() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(3);
        String group = create(tenant, tenant.organization + ":developers", users);

        given().get("/internal/v1/admin/organizations/{o}/teams", tenant.organization).then().statusCode(200)
                .body("find { it.name == 'developers' }.members", equalTo(3))
                .body("find { it.name == 'developers' }.groups", contains(tenant.organization + ":developers"));
        given().get("/internal/v1/admin/organizations/{o}/teams/developers/members", tenant.organization)
                .then().statusCode(200)
                .body("members.id", containsInAnyOrder(users.toArray()))
                .body("members[0].role", equalTo("member"))
                .body("members[0].sources", contains("group:" + tenant.organization + ":developers"));

        modify(tenant, group, GroupEdit.displayName(tenant.otherOrganization + ":desktop"));

        teamMembers(tenant.organization, "developers").body("members", empty());
        teamMembers(tenant.otherOrganization, "desktop").body("members.id", containsInAnyOrder(users.toArray()));
    }

    @Test
    void deletingAGroupRemovesOnlyTheMembershipsItGaveNotDirectOnesNorTheTeam() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(2);
        FakeMembership.TEAMS.put(tenant.organization, List.of(new DirectTeam("ops", List.of(
                new DirectTeam.Member(users.get(0), tenant.userName(users.get(0)), "attribute")))));
        String group = create(tenant, tenant.organization + ":ops", users);

        teamMembers(tenant.organization, "ops")
                .body("members.find { it.id == '" + users.get(0) + "' }.sources",
                        contains("group:" + tenant.organization + ":ops", "attribute"));

        assertEquals(CommandOutcome.Status.APPLIED,
                kafka.apply(GroupCommand.delete(tenant.connectionId, group, null, null)).status());

        teamMembers(tenant.organization, "ops")
                .body("members.id", contains(users.get(0)))
                .body("members[0].sources", contains("attribute"));
        given().get("/internal/v1/admin/organizations/{o}/teams", tenant.organization).then()
                .body("name", hasItem("ops"));
    }

    @Test
    void unmappableGroupsAreKeptAndReportedToTheConnectionsProvisioningErrors() {
        TestTenant tenant = new TestTenant();

        String plain = create(tenant, "Engineering", tenant.users(1));
        create(tenant, "globex:web", List.of());

        JsonNode plainError = error(plain);
        assertEquals("UNMAPPED_GROUP", plainError.path("reason").asText());
        assertEquals("group 'Engineering' is not formatted as 'organization:team' - ignored",
                plainError.path("detail").asText());
        assertEquals("Engineering", plainError.path("subject").asText());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> FakeMembership.ERRORS.stream()
                .anyMatch(e -> e.path("detail").asText().contains("'globex', which is not linked")));
        given().queryParam("members", true).get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, plain)
                .then().statusCode(200).body("group.memberCount", equalTo(1));
    }

    @Test
    void explicitMappingsOverrideTheNameAndRemovingThemFallsBackToIt() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(2);
        String group = create(tenant, "All Engineers", users);
        String path = "/internal/v1/admin/connections/{c}/group-mappings/{g}";

        given().contentType(ContentType.JSON)
                .body(Map.of("organization", tenant.organization.toUpperCase(), "team", "platform", "role", "Editor"))
                .put(path, tenant.connectionName, group)
                .then().statusCode(200)
                .body("organization", equalTo(tenant.organization))
                .body("team", equalTo("platform"))
                .body("role", equalTo("editor"))
                .body("displayName", equalTo("All Engineers"));
        teamMembers(tenant.organization, "platform").body("members.id", containsInAnyOrder(users.toArray()))
                .body("members[0].role", equalTo("editor"));
        given().get(path, tenant.connectionName, group).then().statusCode(200).body("team", equalTo("platform"));
        given().get("/internal/v1/admin/connections/{c}/group-mappings", tenant.connectionName).then()
                .statusCode(200).body("groupId", contains(group));
        String named = create(tenant, tenant.organization + ":named", users.subList(0, 1));
        String unmapped = create(tenant, "Nobody Maps Me", List.of());
        String groups = "/internal/v1/admin/connections/{c}/groups";
        given().get(groups, tenant.connectionName).then().statusCode(200)
                .body("displayName", contains(tenant.organization + ":named", "All Engineers", "Nobody Maps Me"))
                .body("find { it.groupId == '" + group + "' }.mappedBy", equalTo("explicit"))
                .body("find { it.groupId == '" + group + "' }.team", equalTo("platform"))
                .body("find { it.groupId == '" + group + "' }.members", equalTo(2))
                .body("find { it.groupId == '" + named + "' }.mappedBy", equalTo("name"))
                .body("find { it.groupId == '" + named + "' }.organization", equalTo(tenant.organization))
                .body("find { it.groupId == '" + unmapped + "' }.mappedBy", equalTo("unmapped"))
                .body("find { it.groupId == '" + unmapped + "' }.unmappedReason", containsString("organization:team"));
        given().get(groups, "no-such-connection").then().statusCode(404);

        // A rename does not undo an explicit mapping.
        modify(tenant, group, GroupEdit.displayName(tenant.organization + ":elsewhere"));
        teamMembers(tenant.organization, "platform").body("members.id", containsInAnyOrder(users.toArray()));

        given().delete(path, tenant.connectionName, group).then().statusCode(204);
        teamMembers(tenant.organization, "platform").body("members", empty());
        teamMembers(tenant.organization, "elsewhere").body("members.id", containsInAnyOrder(users.toArray()));
        given().get(path, tenant.connectionName, group).then().statusCode(404);
        given().delete(path, tenant.connectionName, group).then().statusCode(404);
    }

    @Test
    void mappingRequestsAreValidated() {
        TestTenant tenant = new TestTenant();
        String group = create(tenant, "validated", List.of());
        String path = "/internal/v1/admin/connections/{c}/group-mappings/{g}";

        given().contentType(ContentType.JSON).body(Map.of("organization", "globex", "team", "web"))
                .put(path, tenant.connectionName, group)
                .then().statusCode(400).body("detail", containsString("not linked"));
        given().contentType(ContentType.JSON)
                .body(Map.of("organization", tenant.organization, "team", "web", "role", "admin"))
                .put(path, tenant.connectionName, group)
                .then().statusCode(400).body("detail", equalTo("role must be member, editor or owner"));
        given().contentType(ContentType.JSON).body(Map.of("organization", tenant.organization))
                .put(path, tenant.connectionName, group)
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("organization", tenant.organization, "team", "web"))
                .put(path, tenant.connectionName, UUID.randomUUID())
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("organization", tenant.organization, "team", "web"))
                .put(path, "no-such-connection", group)
                .then().statusCode(404).body("detail", containsString("no-such-connection"));
        given().get("/internal/v1/admin/organizations/no-such-org/teams").then().statusCode(404);
        given().get("/internal/v1/admin/organizations/{o}/teams/nope/members", tenant.organization).then()
                .statusCode(404);
    }

    @Test
    void aDeactivatedUserLeavesItsTeamsAndComesBackWhenReactivated() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(2);
        create(tenant, tenant.organization + ":qa", users);
        String leaver = users.get(0);

        publishUser(tenant, leaver, false, 2);
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                teamMembers(tenant.organization, "qa").body("members.id", contains(users.get(1))));

        // An older snapshot arriving late does not undo the deactivation.
        publishUser(tenant, leaver, true, 1);
        publishUser(tenant, leaver, true, 3);
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                teamMembers(tenant.organization, "qa").body("members.id", containsInAnyOrder(users.toArray())));
    }

    @Test
    void queriesFilterSortAndPageAndLeaveMembersOutUnlessAsked() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(1);
        create(tenant, "b-team", users);
        create(tenant, "a-team", List.of());
        create(tenant, "c-team", users);
        String query = "/internal/v1/connections/{c}/groups/query";
        Map<String, Object> byName = Map.of("sortBy", Map.of("source", "DISPLAY_NAME", "path", List.of(),
                "type", "STRING", "caseExact", false), "descending", false, "startIndex", 2, "count", 1);

        given().contentType(ContentType.JSON).body(byName).post(query, tenant.connectionId).then().statusCode(200)
                .body("total", equalTo(3)).body("groups.group.displayName", contains("b-team"))
                .body("groups[0]", not(hasItem("members")));
        Map<String, Object> hasMember = Map.of("filter", Map.of("kind", "compare", "field", Map.of("source", "MEMBER",
                "path", List.of(), "type", "STRING", "caseExact", true), "operator", "EQ", "value", users.get(0)),
                "descending", false, "startIndex", 1, "count", 10);
        given().contentType(ContentType.JSON).body(hasMember).queryParam("members", true)
                .post(query, tenant.connectionId).then().statusCode(200)
                .body("groups.group.displayName", containsInAnyOrder("b-team", "c-team"))
                .body("groups[0].members.value", contains(users.get(0)));
        Map<String, Object> bad = Map.of("filter", Map.of("kind", "compare", "field", Map.of("source", "USER_NAME",
                "path", List.of(), "type", "STRING", "caseExact", false), "operator", "EQ", "value", "x"),
                "descending", false, "startIndex", 1, "count", 10);
        given().contentType(ContentType.JSON).body(bad).post(query, tenant.connectionId).then().statusCode(400);
    }

    private void publishUser(TestTenant tenant, String userId, boolean active, long version) {
        UserSnapshot snapshot = new UserSnapshot(userId, tenant.connectionId, new UserProfile(tenant.userName(userId),
                null, active, dev.scimsync.contracts.ContractJson.mapper().createObjectNode()), version, Instant.now(),
                Instant.now());
        kafka.send(Topics.COMMAND_OUTCOMES, tenant.connectionId, CommandOutcome.applied(UUID.randomUUID(),
                tenant.connectionId, snapshot));
    }

    private static io.restassured.response.ValidatableResponse teamMembers(String organization, String team) {
        return given().get("/internal/v1/admin/organizations/{o}/teams/{t}/members", organization, team)
                .then().statusCode(200);
    }

    private JsonNode error(String groupId) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> FakeMembership.ERRORS.stream()
                .anyMatch(e -> e.path("suggestedFix").asText().contains(groupId)));
        return FakeMembership.ERRORS.stream().filter(e -> e.path("suggestedFix").asText().contains(groupId))
                .findFirst().orElseThrow();
    }

    private void modify(TestTenant tenant, String group, GroupEdit edit) {
        assertEquals(CommandOutcome.Status.APPLIED, kafka.apply(GroupCommand.modify(tenant.connectionId, group,
                List.of(edit), null, null)).status());
    }

    private String create(TestTenant tenant, String displayName, List<String> members) {
        CommandOutcome created = kafka.apply(GroupCommand.create(tenant.connectionId, displayName, null, members,
                null));
        assertEquals(CommandOutcome.Status.APPLIED, created.status(), () -> String.valueOf(created.failure()));
        return created.group().id();
    }
}
