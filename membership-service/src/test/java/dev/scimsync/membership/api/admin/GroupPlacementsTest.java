package dev.scimsync.membership.api.admin;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupPlacements;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, groups place people: group placements arriving on {@code group.placements} (as group-sync-service's
 * outbox publishes them) make SCIM users members of the groups' organizations with the mapping's role, take
 * seats, are refused clearly when seats run out and made once seats are added, and end only the memberships
 * groups made - each change a membership event.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class GroupPlacementsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Test
    void mappedGroupsPlaceScimUsersTakeSeatsAndEndOnlyTheMembershipsTheyMade() {
        String org = MembershipRulesTest.unique("groups");
        String labs = org + "-labs";
        String connection = MembershipRulesTest.tenant(org, null, false);
        MembershipRulesTest.admin().body("{\"seats\": 1}").patch("/organizations/{o}", labs).then().statusCode(200);
        String pat = create(connection, "pat@groups.test");
        String sam = create(connection, "sam@groups.test");

        place(connection, pat, new GroupPlacements.Place(labs, "research", "editor", "Labs Research"));
        awaitMember(labs, "pat@groups.test", "editor", "active");
        // acme (default placement), then labs
        awaitEventTypes(pat, List.of("created", "created"));

        // labs has one seat: sam's group placement is refused, and the troubleshooting view says why.
        place(connection, sam, new GroupPlacements.Place(labs, "research", "member", "Labs Research"));
        await().atMost(WAIT).untilAsserted(() -> MembershipRulesTest.admin()
                .get("/connections/{c}/provisioning-errors", org + "-sso").then()
                .body("find { it.userName == 'sam@groups.test' }.operation", equalTo("group.placement"))
                .body("find { it.userName == 'sam@groups.test' }.reason", equalTo("NO_SEATS"))
                .body("find { it.userName == 'sam@groups.test' }.detail", containsString("all 1 seats are taken")));
        assertEquals(0, memberCount(labs, "sam@groups.test"));

        // Seats added: the refused placement is made at once, the IdP sends nothing again.
        MembershipRulesTest.admin().body("{\"seats\": 2}").patch("/organizations/{o}", labs).then().statusCode(200)
                .body("seatsUsed", equalTo(2));
        awaitMember(labs, "sam@groups.test", "member", "active");

        // A group giving a higher role in the attribute placement's organization raises it, and lowers it when gone.
        place(connection, pat, new GroupPlacements.Place(org, "admins", "owner", "Admins"),
                new GroupPlacements.Place(labs, "research", "editor", "Labs Research"));
        awaitMember(org, "pat@groups.test", "owner", "active");
        place(connection, pat);
        awaitMember(org, "pat@groups.test", "member", "active");
        await().atMost(WAIT).until(() -> memberCount(labs, "pat@groups.test") == 0);
        awaitEventTypes(pat, List.of("created", "created", "role_changed", "removed", "role_changed"));

        // The same record again (a redelivery, a replay) changes nothing.
        GroupPlacements again = placements(connection, sam, new GroupPlacements.Place(labs, "research", "member",
                "Labs Research"));
        kafka.send(Topics.GROUP_PLACEMENTS, sam, again);
        kafka.send(Topics.GROUP_PLACEMENTS, sam, again);
        place(connection, pat, new GroupPlacements.Place(labs, "research", "member", "Labs Research"));
        awaitMember(labs, "pat@groups.test", "member", "active");
        awaitEventTypes(sam, List.of("created", "created"));
    }

    @Test
    void aGroupDoesNotPlaceAUserInAnOrganizationWhereItsEmailWasAddedByHand() {
        String org = MembershipRulesTest.unique("byhand");
        String labs = org + "-labs";
        String connection = MembershipRulesTest.tenant(org, null, false);
        MembershipRulesTest.admin().body(Map.of("email", "Kim@byhand.test", "role", "owner"))
                .post("/organizations/{o}/members", labs).then().statusCode(201);
        String kim = create(connection, "kim@byhand.test");

        place(connection, kim, new GroupPlacements.Place(labs, "research", "member", "Labs Research"));

        await().atMost(WAIT).untilAsserted(() -> MembershipRulesTest.admin()
                .get("/connections/{c}/provisioning-errors", org + "-sso").then()
                .body("find { it.userName == 'kim@byhand.test' }.reason", equalTo("NOT_MANAGED"))
                .body("find { it.userName == 'kim@byhand.test' }.detail", containsString("added by hand")));
        MembershipRulesTest.admin().get("/organizations/{o}/members", labs).then().body("totalResults", equalTo(1))
                .body("members[0].source", equalTo("manual")).body("members[0].role", equalTo("owner"));
    }

    /**
     * Found on the local stack: an admin removed a SCIM user from the organization by hand (an emergency removal);
     * the IdP's next update of that user - a title - placed it back, access and all. The removal now sticks against
     * the IdP's updates, its groups and the person's JIT sign-ins, in that organization only, until an admin adds the
     * person back, who is then the IdP's member again.
     */
    @Test
    void aMemberAnAdminRemovedByHandStaysOutThroughScimUpdatesGroupsAndSignInsUntilAddedBack() {
        String org = MembershipRulesTest.unique("removed");
        String labs = org + "-labs";
        String connection = MembershipRulesTest.tenant(org, null, true);
        String ria = create(connection, "ria@removed.test");
        awaitMember(org, "ria@removed.test", "member", "active");
        MembershipRulesTest.admin().delete("/organizations/{o}/members/{e}", org, "ria@removed.test").then()
                .statusCode(204);

        // The IdP's update is applied (its profile) but does not place her in the organization again.
        CommandOutcome updated = kafka.apply(UserCommand.replace(connection, ria, new UserProfile("ria@removed.test",
                null, true, ContractJson.mapper().createObjectNode().put("title", "Lead"), null), null, null));
        assertEquals(CommandOutcome.Status.APPLIED, updated.status());
        assertEquals(0, memberCount(org, "ria@removed.test"));
        MembershipRulesTest.admin().get("/connections/{c}/provisioning-errors", org + "-sso").then()
                .body("find { it.userName == 'ria@removed.test' }.operation", equalTo("user.replace"))
                .body("find { it.userName == 'ria@removed.test' }.detail", containsString("in organization " + org
                        + ", from which an admin removed them by hand"));
        // Nor does one of its groups, nor a sign-in with JIT on; another organization's group does place her.
        place(connection, ria, new GroupPlacements.Place(org, "admins", "owner", "Admins"));
        await().atMost(WAIT).untilAsserted(() -> MembershipRulesTest.admin()
                .get("/connections/{c}/provisioning-errors", org + "-sso").then()
                .body("findAll { it.userName == 'ria@removed.test' }.operation", hasItem("group.placement")));
        assertEquals(0, memberCount(org, "ria@removed.test"));
        MembershipRulesTest.admin().body(Map.of("email", "ria@removed.test"))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(403)
                .body("detail", equalTo("access denied: ria@removed.test was removed from organization " + org
                        + " by an admin; an admin can add them back"));
        MembershipRulesTest.admin().get("/connections/{c}/provisioning-errors", org + "-sso").then()
                .body("find { it.operation == 'sign-in' }.reason", equalTo("REMOVED_BY_ADMIN"));
        assertEquals(0, memberCount(org, "ria@removed.test"));
        place(connection, ria, new GroupPlacements.Place(org, "admins", "owner", "Admins"),
                new GroupPlacements.Place(labs, "research", "editor", "Labs Research"));
        awaitMember(labs, "ria@removed.test", "editor", "active");
        assertEquals(0, memberCount(org, "ria@removed.test"));

        // Added back by an admin: the IdP's member again, placed by its updates and groups from now on.
        MembershipRulesTest.admin().body(Map.of("email", "ria@removed.test", "role", "editor"))
                .post("/organizations/{o}/members", org).then().statusCode(201).body("source", equalTo("scim"))
                .body("role", equalTo("editor"));
        place(connection, ria, new GroupPlacements.Place(org, "admins", "owner", "Admins"));
        awaitMember(org, "ria@removed.test", "owner", "active");
        assertEquals(CommandOutcome.Status.APPLIED, kafka.apply(UserCommand.replace(connection, ria,
                new UserProfile("ria@removed.test", null, true, ContractJson.mapper().createObjectNode(), null),
                null, null)).status());
        awaitMember(org, "ria@removed.test", "owner", "active");
    }

    private String create(String connection, String email) {
        CommandOutcome outcome = kafka.apply(UserCommand.create(connection,
                new UserProfile(email, null, true, ContractJson.mapper().createObjectNode(), null), null));
        assertEquals(CommandOutcome.Status.APPLIED, outcome.status());
        return outcome.user().id();
    }

    private static GroupPlacements placements(String connection, String user, GroupPlacements.Place... places) {
        return new GroupPlacements(UUID.randomUUID().toString(), user, connection, List.of(places), Instant.now());
    }

    private void place(String connection, String user, GroupPlacements.Place... places) {
        kafka.send(Topics.GROUP_PLACEMENTS, user, placements(connection, user, places));
    }

    private static void awaitMember(String organization, String email, String role, String state) {
        await().atMost(WAIT).untilAsserted(() -> MembershipRulesTest.admin()
                .get("/organizations/{o}/members", organization).then().statusCode(200)
                .body("members.find { it.email == '" + email + "' }.role", equalTo(role))
                .body("members.find { it.email == '" + email + "' }.state", equalTo(state))
                .body("members.find { it.email == '" + email + "' }.source", equalTo("scim")));
    }

    private static int memberCount(String organization, String email) {
        JsonPath members = MembershipRulesTest.admin().get("/organizations/{o}/members", organization).then()
                .statusCode(200).extract().jsonPath();
        return members.getList("members.findAll { it.email == '" + email + "' }").size();
    }

    /**
     * Waits until the member's membership events (their types, in topic order, a replayed event once) are
     * {@code expected}, and stay so for 3 s: an event too many that arrives in that time fails the test.
     */
    private void awaitEventTypes(String memberId, List<String> expected) {
        await().atMost(WAIT).during(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> eventTypes(memberId), equalTo(expected));
    }

    /** The member's membership events read so far, by type. */
    private List<String> eventTypes(String memberId) {
        return kafka.events(Topics.MEMBERSHIP_EVENTS, memberId).stream()
                .map(record -> KafkaTestClient.header(record, "ce_type").replace("dev.scimsync.membership.member.", "")
                        .replace(".v1", ""))
                .toList();
    }
}
