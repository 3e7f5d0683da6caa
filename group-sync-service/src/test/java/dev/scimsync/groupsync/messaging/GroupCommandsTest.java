package dev.scimsync.groupsync.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.UserIds;
import dev.scimsync.contracts.internal.UserNameGroups;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.groupsync.TestTenant;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Group commands through the real broker and database; membership-service is faked over HTTP. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class GroupCommandsTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Test
    void createsAGroupWithItsMembersAndReadsThemBackPaged() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(3);

        CommandOutcome created = kafka.apply(GroupCommand.create(tenant.connectionId, tenant.organization + ":backend",
                "ext-1", users, null));

        assertEquals(CommandOutcome.Status.APPLIED, created.status());
        assertEquals(3, created.group().memberCount());
        assertEquals(1, created.group().version());
        given().queryParam("members", true)
                .get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, created.group().id())
                .then().statusCode(200)
                .body("group.displayName", equalTo(tenant.organization + ":backend"))
                .body("group.externalId", equalTo("ext-1"))
                .body("members.value", containsInAnyOrder(users.toArray()))
                .body("members.display", containsInAnyOrder(users.stream().map(tenant::userName).toArray()));
        given().queryParam("members", false)
                .get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, created.group().id())
                .then().statusCode(200).body("members", nullValue()).body("group.memberCount", equalTo(3));
    }

    @Test
    void addsThousandsOfMembersInOneCommandAndRemovesAndReplacesThem() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(6000);
        String id = create(tenant, tenant.organization + ":big", List.of());

        CommandOutcome added = kafka.apply(GroupCommand.modify(tenant.connectionId, id,
                List.of(GroupEdit.addMembers(users)), null, null));
        assertEquals(6000, added.group().memberCount());
        // More members than one internal page: all of them come back.
        given().queryParam("members", true).get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, id)
                .then().statusCode(200).body("members", hasSize(6000));

        CommandOutcome removed = kafka.apply(GroupCommand.modify(tenant.connectionId, id,
                List.of(GroupEdit.removeMembers(users.subList(0, 1000))), null, null));
        assertEquals(5000, removed.group().memberCount());

        CommandOutcome replaced = kafka.apply(GroupCommand.modify(tenant.connectionId, id,
                List.of(GroupEdit.replaceMembers(users.subList(0, 2))), null, null));
        assertEquals(2, replaced.group().memberCount());
        assertEquals(4, replaced.group().version());
    }

    @Test
    void rejectsTheWholeCommandThatOnlyAddsWhenAMemberIsNotAUserOfTheConnection() {
        TestTenant tenant = new TestTenant();
        TestTenant other = new TestTenant();
        List<String> users = tenant.users(2);
        String stranger = other.users(1).get(0);
        String id = create(tenant, tenant.organization + ":web", users.subList(0, 1));
        double refusedBefore = commandsCounted("group", "modify", "rejected", "invalid_value");

        CommandOutcome rejected = kafka.apply(GroupCommand.modify(tenant.connectionId, id,
                List.of(GroupEdit.addMembers(List.of(users.get(1), stranger))), null, null));

        assertEquals(CommandOutcome.Status.REJECTED, rejected.status());
        assertEquals(CommandFailure.Reason.INVALID_VALUE, rejected.failure().reason());
        assertEquals("member '" + stranger + "' is not a user of this connection", rejected.failure().detail());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                commandsCounted("group", "modify", "rejected", "invalid_value") >= refusedBefore + 1));
        given().queryParam("members", true).get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, id)
                .then().body("members.value", containsInAnyOrder(users.get(0)));

        CommandOutcome notAnId = kafka.apply(GroupCommand.create(tenant.connectionId, "x", null, List.of("bob"), null));
        assertEquals(CommandFailure.Reason.INVALID_VALUE, notAnId.failure().reason());
        assertTrue(notAnId.failure().detail().contains("'bob'"), notAnId.failure().detail());
    }

    /**
     * Okta sends a move between groups as one PATCH (remove, add). Refused whole for an add that is no user of the
     * connection, the removal was lost with it: the person kept the team (and the role it gives) while the IdP
     * retried. A change that takes members out is applied without such ids, which are listed as an error.
     */
    @Test
    void aChangeThatTakesMembersOutIsAppliedWithoutMembersThatAreNoUsersAndListsThem() {
        TestTenant tenant = new TestTenant();
        TestTenant other = new TestTenant();
        List<String> users = tenant.users(3);
        String stranger = other.users(1).get(0);
        String id = create(tenant, tenant.organization + ":admins", users.subList(0, 2));

        CommandOutcome moved = kafka.apply(GroupCommand.modify(tenant.connectionId, id, List.of(
                GroupEdit.removeMembers(List.of(users.get(0))),
                GroupEdit.addMembers(List.of(users.get(2), stranger, "bob"))), null, null));

        assertEquals(CommandOutcome.Status.APPLIED, moved.status(), () -> String.valueOf(moved.failure()));
        given().queryParam("members", true).get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, id)
                .then().body("members.value", containsInAnyOrder(users.get(1), users.get(2)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> FakeMembership.ERRORS
                .stream().anyMatch(e -> e.path("commandId").asText().equals(moved.commandId().toString())));
        var error = FakeMembership.ERRORS.stream()
                .filter(e -> e.path("commandId").asText().equals(moved.commandId().toString())).findFirst().get();
        assertEquals("INVALID_VALUE", error.path("reason").asText());
        assertEquals("members 'bob', '" + stranger + "' are not users of this connection: left out; the rest of the "
                + "change, its removals among them, was applied", error.path("detail").asText());

        // A PUT lists the whole membership: whoever it leaves out goes, a stranger in it is left out.
        CommandOutcome replaced = kafka.apply(GroupCommand.replace(tenant.connectionId, id,
                tenant.organization + ":admins", null, List.of(users.get(2), stranger), null, null));
        assertEquals(CommandOutcome.Status.APPLIED, replaced.status(), () -> String.valueOf(replaced.failure()));
        assertEquals(1, replaced.group().memberCount());
    }

    @Test
    void displayNamesAreUniquePerConnectionIgnoringCase() {
        TestTenant tenant = new TestTenant();
        create(tenant, "Engineering", List.of());

        CommandOutcome duplicate = kafka.apply(GroupCommand.create(tenant.connectionId, "engineering", null, List.of(),
                null));
        assertEquals(CommandFailure.Reason.UNIQUENESS, duplicate.failure().reason());

        TestTenant other = new TestTenant();
        assertEquals(CommandOutcome.Status.APPLIED, kafka.apply(GroupCommand.create(other.connectionId, "Engineering",
                null, List.of(), null)).status());
    }

    @Test
    void versionsAndUnknownGroupsAreChecked() {
        TestTenant tenant = new TestTenant();
        String id = create(tenant, "versioned", List.of());

        CommandOutcome stale = kafka.apply(GroupCommand.modify(tenant.connectionId, id,
                List.of(GroupEdit.displayName("renamed")), 7L, null));
        assertEquals(CommandFailure.Reason.VERSION_MISMATCH, stale.failure().reason());

        CommandOutcome missing = kafka.apply(GroupCommand.delete(tenant.connectionId, UUID.randomUUID().toString(), null,
                null));
        assertEquals(CommandFailure.Reason.NOT_FOUND, missing.failure().reason());

        CommandOutcome deleted = kafka.apply(GroupCommand.delete(tenant.connectionId, id, 1L, null));
        assertTrue(deleted.deleted());
        given().get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, id).then().statusCode(404);
    }

    @Test
    void aRedeliveredCommandIsAnsweredFromItsRecordNotAppliedAgain() {
        TestTenant tenant = new TestTenant();
        GroupCommand command = GroupCommand.create(tenant.connectionId, "once", null, tenant.users(1), null);

        CommandOutcome first = kafka.apply(command);
        CommandOutcome second = kafka.apply(command);

        assertEquals(first, second);
        given().get("/internal/v1/commands/{id}", command.commandId()).then().statusCode(200)
                .body("group.id", equalTo(first.group().id()));
    }

    @Test
    void connectionsWithoutScimAreRefused() {
        TestTenant tenant = new TestTenant();
        FakeMembership.CONNECTIONS.put(tenant.connectionId, new ConnectionSummary(tenant.connectionId,
                tenant.connectionName, false, List.of(tenant.organization)));

        CommandOutcome refused = kafka.apply(GroupCommand.create(tenant.connectionId, "g", null, List.of(), null));

        assertEquals(CommandFailure.Reason.FORBIDDEN, refused.failure().reason());
    }

    /** Three users of a new tenant: the first two in group "alpha", the second also in "beta", the third in none. */
    private record GroupedUsers(TestTenant tenant, List<String> users, String alpha, String beta) {
    }

    private GroupedUsers groupedUsers() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(3);
        return new GroupedUsers(tenant, users, create(tenant, "alpha", users.subList(0, 2)),
                create(tenant, "beta", users.subList(1, 2)));
    }

    @Test
    void answersTheUsersGroupsForTheirGroupsAttribute() {
        GroupedUsers grouped = groupedUsers();
        TestTenant tenant = grouped.tenant();
        List<String> users = grouped.users();
        String a = grouped.alpha();
        String b = grouped.beta();

        given().contentType(ContentType.JSON).body(new UserIds(users))
                .post("/internal/v1/connections/{c}/users/groups", tenant.connectionId)
                .then().statusCode(200)
                .body(users.get(0) + ".value", containsInAnyOrder(a))
                .body(users.get(1) + ".display", containsInAnyOrder("alpha", "beta"))
                .body(users.get(1) + ".value", containsInAnyOrder(a, b))
                .body(users.get(2), nullValue());
    }

    /**
     * The gateway asks a user's groups by its userName (ignoring case) beside its lookup: the answer names the user, so
     * the gateway can tell it is the one the lookup found; a user in no group is named with none, an unknown name not.
     */
    @Test
    void answersAUsersGroupsByItsUserName() {
        GroupedUsers grouped = groupedUsers();
        TestTenant tenant = grouped.tenant();
        List<String> users = grouped.users();
        kafka.send(Topics.COMMAND_OUTCOMES, tenant.connectionId, CommandOutcome.applied(UUID.randomUUID(),
                tenant.connectionId, UserSnapshots.of(users.get(2), tenant, true, 1)));

        byName(tenant.connectionId, tenant.userName(users.get(1)).toUpperCase(java.util.Locale.ROOT))
                .statusCode(200).body("userId", equalTo(users.get(1)))
                .body("groups.display", contains("alpha", "beta"))
                .body("groups.value", contains(grouped.alpha(), grouped.beta()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                byName(tenant.connectionId, tenant.userName(users.get(2)))
                        .statusCode(200).body("userId", equalTo(users.get(2))).body("groups", empty()));
        byName(tenant.connectionId, "nobody@example.com").statusCode(200).body("userId", nullValue())
                .body("groups", empty());
        // Another connection's user is not named here.
        byName(new TestTenant().connectionId, tenant.userName(users.get(1))).statusCode(200)
                .body("userId", nullValue());
        byName(tenant.connectionId, null).statusCode(400);
    }

    private static io.restassured.response.ValidatableResponse byName(String connectionId, String userName) {
        return given().contentType(ContentType.JSON).body(new UserNameGroups.Request(userName))
                .post("/internal/v1/connections/{c}/users/groups-by-user-name", connectionId).then();
    }

    @Test
    void aDeletedUserLeavesEveryGroup() {
        TestTenant tenant = new TestTenant();
        List<String> users = tenant.users(2);
        String id = create(tenant, "leavers", users);

        kafka.send(Topics.COMMAND_OUTCOMES, tenant.connectionId, CommandOutcome.userDeleted(UUID.randomUUID(),
                tenant.connectionId, UserSnapshots.of(users.get(0), tenant, true, 2)));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> given()
                .queryParam("members", true).get("/internal/v1/connections/{c}/groups/{id}", tenant.connectionId, id)
                .then().body("members.value", containsInAnyOrder(users.get(1))).body("group.memberCount", equalTo(1))
                .body("group.version", equalTo(2)));
    }

    private String create(TestTenant tenant, String displayName, List<String> members) {
        CommandOutcome created = kafka.apply(GroupCommand.create(tenant.connectionId, displayName, null,
                new ArrayList<>(members), null));
        assertEquals(CommandOutcome.Status.APPLIED, created.status(), () -> String.valueOf(created.failure()));
        assertFalse(created.deleted());
        assertNull(created.user());
        return created.group().id();
    }

    /** {@code scim_commands_total} for one type, result and reason (0 before the first). */
    static double commandsCounted(String resource, String type, String result, String reason) {
        return dev.scimsync.testsupport.PrometheusSamples.sum(given().get("/q/metrics").then().statusCode(200)
                .extract().asString(), "scim_commands_total",
                java.util.Map.of("resource", resource, "type", type, "result", result, "reason", reason));
    }
}
