package dev.scimsync.membership.api.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.membership.domain.SeatLimit;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The membership rules of the organizations-and-connections issue, each against the real database and
 * broker: placement, seats, manual members, JIT sign-in, SCIM switch, JIT-to-SCIM adoption.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class MembershipRulesTest {

    private static KafkaTestClient kafka() {
        return KafkaTestClient.forQuarkusTest();
    }


    static RequestSpecification admin() {
        return given().contentType(ContentType.JSON).basePath("/internal/v1/admin");
    }

    /** A fresh organization pair and a SCIM-enabled connection linked to both; returns the connection id. */
    static String tenant(String name, Integer seats, boolean jit) {
        admin().body(seats == null ? Map.of("name", name) : Map.of("name", name, "seats", seats))
                .post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", name + "-labs")).post("/organizations").then().statusCode(201);
        return admin().body(Map.of("name", name + "-sso", "organizations", List.of(name, name + "-labs"),
                        "defaultOrganization", name, "defaultTeam", "everyone", "defaultRole", "member",
                        "jitEnabled", jit, "scimEnabled", true))
                .post("/connections").then().statusCode(201)
                // Absolute, with the admin path the gateway keeps for the audit record (which connection was made).
                .header("Location", Matchers.endsWith("/internal/v1/admin/connections/" + name + "-sso"))
                .body("organizations", contains(name, name + "-labs")).body("scimEnabled", equalTo(true))
                .extract().path("id");
    }

    static String unique(String label) {
        return label + UUID.randomUUID().toString().substring(0, 6);
    }

    private static CommandOutcome create(String connection, String email, Placement placement) {
        return apply(UserCommand.create(connection, new UserProfile(email, null, true,
                ContractJson.mapper().createObjectNode(), placement), new CommandOrigin("t", "req-" + email, null, null)));
    }

    private static CommandOutcome apply(UserCommand command) {
        return kafka().apply(command);
    }

    @Test
    void scimUsersLandInTheDefaultsUnlessTheExtensionSaysOtherwise() {
        String org = unique("place");
        String connection = tenant(org, null, true);

        assertEquals(CommandOutcome.Status.APPLIED, create(connection, "d@x.test", null).status());
        assertEquals(CommandOutcome.Status.APPLIED,
                create(connection, "o@x.test", new Placement("owner", null, "backend")).status());
        assertEquals(CommandOutcome.Status.APPLIED,
                create(connection, "l@x.test", new Placement(null, org + "-labs", null)).status());

        admin().get("/organizations/{o}/members", org).then().statusCode(200).body("totalResults", equalTo(2))
                .body("members.find { it.email == 'd@x.test' }.teams", contains("everyone"))
                .body("members.find { it.email == 'd@x.test' }.role", equalTo("member"))
                .body("members.find { it.email == 'd@x.test' }.source", equalTo("scim"))
                .body("members.find { it.email == 'o@x.test' }.role", equalTo("owner"))
                .body("members.find { it.email == 'o@x.test' }.teams", contains("backend"));
        admin().get("/organizations/{o}/members", org + "-labs").then()
                .body("members.email", contains("l@x.test")).body("members[0].teams", hasSize(0));
        admin().get("/organizations/{o}", org).then().body("teams", contains("backend", "everyone"));
        admin().get("/organizations/{o}/members?role=owner", org).then().body("members.email", contains("o@x.test"));
        admin().get("/organizations/{o}/members/export", org).then().statusCode(200).contentType("text/csv")
                .body(containsString("email,name,role,state,source,teams,created"))
                .body(containsString("o@x.test,,owner,active,scim,backend,"));
    }

    @Test
    void anUnlinkedOrganizationIsRejectedAndShowsInProvisioningErrors() {
        String org = unique("unlinked");
        String connection = tenant(org, null, true);

        CommandOutcome outcome = create(connection, "u@x.test", new Placement(null, "globex", null));

        assertEquals(CommandFailure.Reason.INVALID_VALUE, outcome.failure().reason());
        admin().get("/connections/{c}/provisioning-errors", org + "-sso").then().statusCode(200)
                .body("[0].userName", equalTo("u@x.test")).body("[0].requestId", equalTo("req-u@x.test"))
                .body("[0].detail", containsString("'globex' is not linked"))
                .body("[0].suggestedFix", containsString("mapping"));
    }

    @Test
    void aFullOrganizationRefusesTheCreateAndWritesNothing() {
        String org = unique("seats");
        String connection = tenant(org, 1, true);
        assertEquals(CommandOutcome.Status.APPLIED, create(connection, "first@x.test", null).status());

        CommandOutcome second = create(connection, "second@x.test", null);

        assertEquals(CommandFailure.Reason.NO_SEATS, second.failure().reason());
        assertEquals("not enough seats in organization " + org + " (all 1 seats are taken): add seats (PATCH "
                + "/admin/v1/organizations/" + org + ") or remove members, then retry", second.failure().detail());
        given().contentType(ContentType.JSON).body(new String(ContractJson.write(new dev.scimsync.contracts.query.ResourceQuery(
                        null, null, false, 1, 10, null))))
                .post("/internal/v1/connections/{c}/users/query", connection).then().body("total", equalTo(1));
        admin().get("/connections/{c}/provisioning-errors", org + "-sso").then().statusCode(200)
                .body("[0].userName", equalTo("second@x.test")).body("[0].reason", equalTo("NO_SEATS"))
                .body("[0].detail", containsString("all 1 seats are taken"));
    }

    @Test
    void aCreateRefusedForSeatsIsAppliedWhenRetriedAfterSeatsAreAdded() {
        String org = unique("grow");
        String connection = tenant(org, 1, true);
        assertEquals(CommandOutcome.Status.APPLIED, create(connection, "first@x.test", null).status());
        assertEquals(CommandFailure.Reason.NO_SEATS, create(connection, "second@x.test", null).failure().reason());

        admin().body("{\"seats\": 2}").patch("/organizations/{o}", org).then().statusCode(200)
                .body("seats", equalTo(2)).body("members", equalTo(1));
        assertEquals(CommandOutcome.Status.APPLIED, create(connection, "second@x.test", null).status());
        assertEquals(CommandFailure.Reason.NO_SEATS, create(connection, "third@x.test", null).failure().reason());

        // Lowering the limit removes nobody; no limit at all takes anyone.
        admin().body("{\"seats\": 0}").patch("/organizations/{o}", org).then().statusCode(200).body("members", equalTo(2));
        admin().body("{\"seats\": null}").patch("/organizations/{o}", org).then().statusCode(200)
                .body("seats", nullValue());
        assertEquals(CommandOutcome.Status.APPLIED, create(connection, "third@x.test", null).status());

        admin().body("{\"seats\": -1}").patch("/organizations/{o}", org).then().statusCode(400);
        admin().body("{\"seats\": \"many\"}").patch("/organizations/{o}", org).then().statusCode(400);
        admin().body("{}").patch("/organizations/{o}", org).then().statusCode(400);
        admin().body("{\"seats\": 3}").patch("/organizations/{o}", "no-such-org").then().statusCode(404);
    }

    private static CommandOutcome replace(String connection, CommandOutcome current, boolean active, Placement placement) {
        return apply(UserCommand.replace(connection, current.user().id(), new UserProfile(
                current.user().profile().userName(), null, active, ContractJson.mapper().createObjectNode(), placement),
                null, new CommandOrigin("t", "req-" + UUID.randomUUID(), null, null)));
    }

    private static List<String> eventTypes(String memberId, int count) {
        return kafka().awaitEvents(dev.scimsync.contracts.Topics.MEMBERSHIP_EVENTS, memberId, count,
                java.time.Duration.ofSeconds(30)).stream().map(e -> KafkaTestClient.header(e, "ce_type")
                .replace("dev.scimsync.membership.member.", "").replace(".v1", "")).toList();
    }

    /**
     * Issue 20: the IdP off-boards someone and on-boards someone else into a full organization. The deactivated
     * member stays listed (id and history kept) but holds no seat and no team; re-activating takes a seat again,
     * refused while none is free.
     */
    @Test
    void aDeactivationFreesTheSeatAndLeavesTheTeamAndAReactivationTakesASeatAgain() {
        String org = unique("offboard");
        String connection = tenant(org, 1, false);
        CommandOutcome leaver = create(connection, "leaver@x.test", null);
        assertEquals(CommandOutcome.Status.APPLIED, leaver.status());
        assertEquals(CommandFailure.Reason.NO_SEATS, create(connection, "newcomer@x.test", null).failure().reason());

        CommandOutcome deactivated = replace(connection, leaver, false, null);

        assertEquals(CommandOutcome.Status.APPLIED, deactivated.status(), () -> String.valueOf(deactivated.failure()));
        admin().get("/organizations/{o}", org).then().body("members", equalTo(1)).body("seatsUsed", equalTo(0));
        admin().get("/organizations/{o}/members", org).then()
                .body("members.find { it.email == 'leaver@x.test' }.state", equalTo("deactivated"))
                .body("members.find { it.email == 'leaver@x.test' }.teams", hasSize(0));
        assertEquals(CommandOutcome.Status.APPLIED, create(connection, "newcomer@x.test", null).status());

        CommandOutcome refused = replace(connection, deactivated, true, null);
        assertEquals(CommandFailure.Reason.NO_SEATS, refused.failure().reason());
        admin().body("{\"seats\": 2}").patch("/organizations/{o}", org).then().statusCode(200);
        CommandOutcome reactivated = replace(connection, deactivated, true, null);

        assertEquals(CommandOutcome.Status.APPLIED, reactivated.status(), () -> String.valueOf(reactivated.failure()));
        admin().get("/organizations/{o}", org).then().body("members", equalTo(2)).body("seatsUsed", equalTo(2));
        admin().get("/organizations/{o}/members", org).then()
                .body("members.find { it.email == 'leaver@x.test' }.state", equalTo("active"))
                .body("members.find { it.email == 'leaver@x.test' }.teams", contains("everyone"));
        assertEquals(List.of("created", "deactivated", "reactivated"), eventTypes(leaver.user().id(), 3));
    }

    /** Issue 20: a changed dockerOrg / dockerTeam moves the member, it does not add a second place. */
    @Test
    void aMovedPlacementLeavesTheOldOrganizationAndTeamAndJoinsTheNewOnes() {
        String org = unique("move");
        String connection = tenant(org, null, false);
        CommandOutcome created = create(connection, "mover@x.test", new Placement(null, null, "backend"));
        assertEquals(CommandOutcome.Status.APPLIED, created.status());

        CommandOutcome moved = replace(connection, created, true, new Placement("editor", org + "-labs", "research"));

        assertEquals(CommandOutcome.Status.APPLIED, moved.status(), () -> String.valueOf(moved.failure()));
        admin().get("/organizations/{o}/members", org).then().body("totalResults", equalTo(0));
        admin().get("/organizations/{o}/members", org + "-labs").then().body("members.email", contains("mover@x.test"))
                .body("members[0].role", equalTo("editor")).body("members[0].teams", contains("research"));
        assertEquals(List.of("created", "removed", "created"), eventTypes(created.user().id(), 3));

        CommandOutcome teamOnly = replace(connection, moved, true, new Placement("editor", org + "-labs", "platform"));
        assertEquals(CommandOutcome.Status.APPLIED, teamOnly.status());
        admin().get("/organizations/{o}/members", org + "-labs").then().body("members[0].teams", contains("platform"));
    }

    /**
     * Commands of different connections are applied side by side (one consumer per partition): four
     * connections sharing one organization of 5 seats send 40 creates at once, and each connection's first
     * create makes the shared default team on first use.
     */
    @Test
    void tenantsAppliedSideBySideNeitherOverfillSeatsNorTripOverATeamCreatedAtOnce() {
        String org = unique("race");
        admin().body(Map.of("name", org, "seats", 5)).post("/organizations").then().statusCode(201);
        List<String> connections = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
            connections.add(admin().body(Map.of("name", org + "-sso" + c, "organizations", List.of(org),
                            "defaultOrganization", org, "defaultTeam", "newcomers", "defaultRole", "member",
                            "jitEnabled", false, "scimEnabled", true))
                    .post("/connections").then().statusCode(201).extract().<String>path("id"));
        }
        List<UserCommand> commands = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            commands.add(UserCommand.create(connections.get(i % 4), new UserProfile("u" + i + "@" + org + ".test", null,
                    true, ContractJson.mapper().createObjectNode(), null), new CommandOrigin("t", null, null, null)));
        }
        commands.forEach(command -> kafka().send(dev.scimsync.contracts.Topics.USER_COMMANDS, command.connectionId(),
                command));

        Map<String, Long> results = commands.stream().map(command -> kafka().awaitOutcome(command.commandId()))
                .collect(java.util.stream.Collectors.groupingBy(outcome -> outcome.status() == CommandOutcome.Status.APPLIED
                        ? "applied" : outcome.failure().reason().name(), java.util.stream.Collectors.counting()));
        assertEquals(Map.of("applied", 5L, "NO_SEATS", 35L), results);
        admin().get("/organizations/{o}/members", org).then().statusCode(200).body("totalResults", equalTo(5));
        admin().get("/organizations/{o}", org).then().body("teams", contains("newcomers"));
    }

    @Test
    void theConsoleCanListConnectionsAndOrganizationsAndSearchMembersByEmailOrName() {
        String org = unique("search");
        String connection = tenant(org, 10, true);
        var name = ContractJson.mapper().createObjectNode();
        name.putObject("name").put("givenName", "Ada").put("familyName", "Lovelace");
        assertEquals(CommandOutcome.Status.APPLIED, apply(UserCommand.create(connection,
                new UserProfile("countess@x.test", null, true, name, null), new CommandOrigin("t", null, null, null)))
                .status());
        create(connection, "grace_hopper@x.test", null);
        create(connection, "grace100@x.test", null);

        admin().get("/connections").then().statusCode(200).body("name", hasItem(org + "-sso"))
                .body("find { it.name == '" + org + "-sso' }.defaultOrganization", equalTo(org));
        admin().get("/organizations").then().statusCode(200)
                .body("find { it.name == '" + org + "' }.members", equalTo(3))
                .body("find { it.name == '" + org + "' }.seats", equalTo(10))
                .body("find { it.name == '" + org + "-labs' }.members", equalTo(0));
        admin().queryParam("q", "LOVELACE").get("/organizations/{o}/members", org).then()
                .body("members.email", contains("countess@x.test")).body("members[0].name", equalTo("Ada Lovelace"));
        admin().queryParam("q", "grace").get("/organizations/{o}/members", org).then().body("totalResults", equalTo(2));
        // '_' and '%' are searched for as written, not as wildcards
        admin().queryParam("q", "e_h").get("/organizations/{o}/members", org).then()
                .body("members.email", contains("grace_hopper@x.test"));
        admin().queryParam("q", "%").get("/organizations/{o}/members", org).then().body("totalResults", equalTo(0));
        admin().queryParam("q", "\\").get("/organizations/{o}/members", org).then().statusCode(200)
                .body("totalResults", equalTo(0));
    }

    @Test
    void scimNeverTakesOverOrRemovesAMemberAddedByHand() {
        String org = unique("manual");
        String connection = tenant(org, null, true);
        admin().body(Map.of("email", "boss@x.test", "role", "owner")).post("/organizations/{o}/members", org)
                .then().statusCode(201).body("source", equalTo("manual"));
        admin().body(Map.of("email", "boss@x.test")).post("/organizations/{o}/members", org).then().statusCode(409);

        CommandOutcome outcome = create(connection, "BOSS@x.test", null);

        assertEquals(CommandFailure.Reason.NOT_MANAGED, outcome.failure().reason());
        admin().get("/organizations/{o}/members", org).then().body("members.email", contains("boss@x.test"))
                .body("members[0].role", equalTo("owner"));
        admin().delete("/organizations/{o}/members/{e}", org, "boss@x.test").then().statusCode(204);
        admin().delete("/organizations/{o}/members/{e}", org, "boss@x.test").then().statusCode(404);
    }

    /**
     * Found on the local stack: a SCIM create of {@code ΩΣ-12caa3@...} or {@code İZ-...@...} beside a member added by
     * hand as {@code ωσ-12caa3@...} or {@code iz-...@...} - one address to PostgreSQL's {@code lower()} - made a
     * second member, because the batch looked the member up by a key Java had lowered differently.
     */
    @Test
    void aMemberAddedByHandIsFoundWhateverTheCaseOfTheAddressInAnyAlphabet() {
        String org = unique("alphabets");
        String connection = tenant(org, null, true);
        for (String[] address : new String[][] {{"ωσ-12caa3@x.test", "ΩΣ-12caa3@x.test"}, {"iz@x.test", "İZ@x.test"}}) {
            admin().body(Map.of("email", address[0])).post("/organizations/{o}/members", org).then().statusCode(201);
            CommandOutcome created = create(connection, address[1], null);
            assertEquals(CommandFailure.Reason.NOT_MANAGED, created.failure() == null ? null
                    : created.failure().reason(), address[1]);
        }
        admin().get("/organizations/{o}/members", org).then()
                .body("members.email", containsInAnyOrder("ωσ-12caa3@x.test", "iz@x.test"));
    }

    /**
     * One person, one member: an admin's add of someone another account already makes a member, a SCIM rename or
     * move beside a member added by hand, and a JIT sign-in of such a member each made the organization list the
     * same email twice - and the sign-in signed the owner the admin had added in as a new plain member.
     */
    @Test
    void aMemberAddedByHandStaysOnePersonThroughSignInsScimRenamesAndMovesAndAdminAdds() {
        String org = unique("onehand");
        String connection = tenant(org, null, true);
        String labs = org + "-labs";
        admin().body(Map.of("email", "Chief@x.test", "role", "owner")).post("/organizations/{o}/members", org)
                .then().statusCode(201);
        admin().body(Map.of("email", "lab-keeper@x.test")).post("/organizations/{o}/members", labs).then().statusCode(201);

        // Signed in with JIT on, groups and a role: the member the admin added, as the admin made them.
        String chiefId = admin().body(Map.of("email", "chief@x.test", "groups", List.of(org + ":sales"),
                        "attributes", Map.of("role", "member")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200)
                .body("organizations", contains(org)).body("ignoredGroups", contains(org + ":sales"))
                .extract().path("accountId");
        admin().get("/organizations/{o}/members", org).then().body("members.email", contains("Chief@x.test"))
                .body("members[0].role", equalTo("owner")).body("members[0].source", equalTo("manual"))
                .body("members[0].teams", empty());
        admin().body(Map.of("email", "CHIEF@x.test")).post("/connections/{c}/sign-ins", org + "-sso").then()
                .statusCode(200).body("accountId", equalTo(chiefId));

        // SCIM renames a user to that email, or moves one beside it: refused as a create is.
        CommandOutcome scimUser = create(connection, "provisioned@x.test", null);
        CommandOutcome renamed = apply(UserCommand.replace(connection, scimUser.user().id(), new UserProfile(
                "chief@X.test", null, true, ContractJson.mapper().createObjectNode(), null), null,
                new CommandOrigin("t", "req-rename", null, null)));
        assertEquals(CommandFailure.Reason.NOT_MANAGED, renamed.failure().reason());
        CommandOutcome labKeeper = create(connection, "lab-keeper@x.test", null);
        assertEquals(CommandOutcome.Status.APPLIED, labKeeper.status(), "not a member by hand in " + org);
        assertEquals(CommandFailure.Reason.NOT_MANAGED, replace(connection, labKeeper, true,
                new Placement(null, labs, null)).failure().reason());
        admin().get("/organizations/{o}/members", labs).then().body("members.email", contains("lab-keeper@x.test"))
                .body("members[0].source", equalTo("manual"));

        // The admin adds by hand someone SCIM already made a member: refused, naming the source.
        admin().body(Map.of("email", "PROVISIONED@x.test")).post("/organizations/{o}/members", org).then().statusCode(409)
                .body("detail", containsString("source scim"));
        admin().get("/organizations/{o}/members", org).then().body("totalResults", equalTo(3));
    }

    /**
     * One person, one member across an organization's connections: two IdPs linked to one organization each made
     * their own member of the same email, so the organization listed that person twice.
     */
    @Test
    void twoConnectionsOfAnOrganizationDoNotMakeTheSamePersonTwoMembers() {
        String org = unique("twoconn");
        String sso = tenant(org, null, true);
        String okta = admin().body(Map.of("name", org + "-okta", "organizations", List.of(org),
                        "defaultOrganization", org, "jitEnabled", true, "scimEnabled", true))
                .post("/connections").then().statusCode(201).extract().path("id");
        assertEquals(CommandOutcome.Status.APPLIED, create(sso, "dual@x.test", null).status());
        admin().body(Map.of("email", "jitter@x.test")).post("/connections/{c}/sign-ins", org + "-okta").then()
                .statusCode(200);

        CommandOutcome second = create(okta, "DUAL@x.test", null);
        assertEquals(CommandFailure.Reason.NOT_MANAGED, second.failure().reason());
        assertTrue(second.failure().detail().contains("is a member of organization " + org + " through connection "
                + org + "-sso (source scim)"), second.failure().detail());
        CommandOutcome overJit = create(sso, "jitter@x.test", null);
        assertEquals(CommandFailure.Reason.NOT_MANAGED, overJit.failure().reason());
        assertTrue(overJit.failure().detail().contains("through connection " + org + "-okta (source jit)"),
                overJit.failure().detail());
        CommandOutcome bee = create(okta, "bee@x.test", null);
        CommandOutcome renamed = apply(UserCommand.replace(okta, bee.user().id(), new UserProfile("dual@x.test", null,
                true, ContractJson.mapper().createObjectNode(), null), null, new CommandOrigin("t", "req-bee", null, null)));
        assertEquals(CommandFailure.Reason.NOT_MANAGED, renamed.failure().reason());

        admin().get("/organizations/{o}/members", org).then()
                .body("members.email", containsInAnyOrder("dual@x.test", "jitter@x.test", "bee@x.test"));
        admin().get("/connections/{c}/provisioning-errors", org + "-okta").then().statusCode(200)
                .body("[0].reason", equalTo("NOT_MANAGED"));
    }

    /**
     * An organization moves from one IdP (connection {@code <org>-sso}) to another ({@code <org>-entra}): after the
     * migration, the new IdP's creates adopt the old connection's members - same member, no second one - and the old
     * IdP can no longer change them; deactivated members and members of organizations the new connection does not
     * serve are not adopted.
     */
    @Test
    void anOrganizationMovesFromOneIdpToAnotherKeepingItsMembers() {
        String org = unique("move");
        String old = tenant(org, null, true);
        String entra = admin().body(Map.of("name", org + "-entra", "organizations", List.of(org),
                        "defaultOrganization", org, "jitEnabled", false, "scimEnabled", true))
                .post("/connections").then().statusCode(201).extract().path("id");
        String staying = create(old, "staying@x.test", new Placement("owner", null, "backend")).user().id();
        String leaver = create(old, "leaver@x.test", null).user().id();
        assertEquals(CommandOutcome.Status.APPLIED, apply(UserCommand.replace(old, leaver, new UserProfile(
                "leaver@x.test", null, false, ContractJson.mapper().createObjectNode(), null), null,
                new CommandOrigin("t", "req-leaver", null, null))).status());
        admin().body(Map.of("email", "elsewhere@x.test", "groups", List.of(org + ":a", org + "-labs:b")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200)
                .body("organizations", contains(org, org + "-labs"));
        String migration = "/connections/{c}/migrations/from-connection";

        admin().body(Map.of("from", org + "-sso")).post(migration, org + "-entra").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("adoptionEnabled", equalTo(false))
                .body("adoptable", contains("staying@x.test"))
                .body("notAdoptable.email", contains("elsewhere@x.test", "leaver@x.test"));
        assertEquals(CommandFailure.Reason.NOT_MANAGED, create(entra, "staying@x.test", null).failure().reason(),
                "a dry run changes nothing");
        admin().body(Map.of("from", org + "-sso", "dryRun", false)).post(migration, org + "-entra").then()
                .statusCode(200).body("adoptionEnabled", equalTo(true));
        admin().get("/connections/{c}", org + "-entra").then().body("adoptsFrom", equalTo(org + "-sso"));

        // The same profile and placement as before: only the connection changes, and the events must still say so.
        CommandOutcome adopted = create(entra, "staying@x.test", new Placement("owner", null, "backend"));
        assertEquals(staying, adopted.user().id(), "the same member, adopted");
        assertEquals(entra, adopted.user().connectionId());
        admin().get("/organizations/{o}/members?email=staying@x.test", org).then().body("totalResults", equalTo(1))
                .body("members[0].role", equalTo("owner")).body("members[0].teams", contains("backend"))
                .body("members[0].state", equalTo("active"));
        for (String topic : List.of(dev.scimsync.contracts.Topics.MEMBERSHIP_EVENTS,
                dev.scimsync.contracts.Topics.MEMBERSHIP_STATE)) {
            assertTrue(kafka().await(topic, java.time.Duration.ofSeconds(30), record -> record.key().endsWith(staying)
                    && record.value() != null && new String(record.value(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains(entra) ? Optional.of(record) : Optional.empty()).isPresent(),
                    "the adopted member's " + topic + " record names its new connection");
        }
        CommandOutcome oldIdpDeactivates = apply(UserCommand.replace(old, staying, new UserProfile("staying@x.test",
                null, false, ContractJson.mapper().createObjectNode(), null), null,
                new CommandOrigin("t", "req-old", null, null)));
        assertEquals(CommandFailure.Reason.NOT_FOUND, oldIdpDeactivates.failure().reason(),
                "the old IdP no longer rules over the member");
        admin().get("/organizations/{o}/members?email=staying@x.test", org).then()
                .body("members[0].state", equalTo("active"));
        admin().body(Map.of("email", "staying@x.test")).post("/connections/{c}/sign-ins", org + "-entra").then()
                .statusCode(200).body("access", equalTo("granted")).body("accountId", equalTo(staying));

        CommandOutcome deactivated = create(entra, "leaver@x.test", null);
        assertEquals(CommandFailure.Reason.NOT_MANAGED, deactivated.failure().reason());
        assertTrue(deactivated.failure().detail().contains("adopts active members only"), deactivated.failure().detail());
        assertEquals(CommandFailure.Reason.NOT_MANAGED, create(entra, "elsewhere@x.test", null).failure().reason());
        admin().get("/organizations/{o}/members", org).then()
                .body("members.email", containsInAnyOrder("staying@x.test", "leaver@x.test", "elsewhere@x.test"));

        admin().body(Map.of("from", "nobody-" + org)).post(migration, org + "-entra").then().statusCode(404);
        String stranger = unique("stranger");
        tenant(stranger, null, false);
        admin().body(Map.of("from", stranger + "-sso")).post(migration, org + "-entra").then().statusCode(404)
                .body("detail", equalTo("connection '" + stranger + "-sso' is not another connection that shares an "
                        + "organization with " + org + "-entra"));
        admin().body(Map.of("dryRun", true)).post(migration, org + "-entra").then().statusCode(400);
        admin().delete(migration, org + "-entra").then().statusCode(204);
        admin().get("/connections/{c}", org + "-entra").then().body("adoptsFrom", nullValue());
    }

    /** The console's member page: "an@x.test" was one of 20 matches of a search in a large organization, or none. */
    @Test
    void anAdminFindsAMemberByItsExactEmailWhateverTheSourceAndCase() {
        String org = unique("byemail");
        String connection = tenant(org, null, true);
        for (String email : List.of("an@x.test", "dan@x.test", "jan@x.test")) {
            admin().body(Map.of("email", email)).post("/organizations/{o}/members", org).then().statusCode(201);
        }
        assertEquals(CommandOutcome.Status.APPLIED, create(connection, "Ryan@x.test", null).status());

        admin().get("/organizations/{o}/members?q=an@x.test", org).then().body("totalResults", equalTo(4));
        admin().get("/organizations/{o}/members?email=AN@x.test", org).then().statusCode(200)
                .body("totalResults", equalTo(1)).body("members.email", contains("an@x.test"));
        admin().get("/organizations/{o}/members?email=ryan@X.TEST", org).then()
                .body("members.email", contains("Ryan@x.test")).body("members[0].source", equalTo("scim"));
        admin().get("/organizations/{o}/members?email=ryan@x.test", org + "-labs").then().body("totalResults", equalTo(0));
    }

    @Test
    void jitSignInCreatesOrFindsTheAccountAndMapsGroups() {
        String org = unique("jit");
        tenant(org, null, true);

        admin().body(Map.of("email", "jit@x.test", "givenName", "Jo", "familyName", "It"))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200)
                .body("access", equalTo("granted")).body("organizations", contains(org));
        admin().body(Map.of("email", "jit@x.test", "groups", List.of(org + "-labs:desktop", "Engineering")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200)
                .body("organizations", contains(org, org + "-labs")).body("ignoredGroups", contains("Engineering"));
        admin().get("/organizations/{o}/members", org + "-labs").then()
                .body("members[0].email", equalTo("jit@x.test")).body("members[0].source", equalTo("jit"))
                .body("members[0].teams", contains("desktop")).body("members[0].name", equalTo("Jo It"));
    }

    @Test
    void withJitOffOnlyExistingMembersMaySignIn() {
        String org = unique("nojit");
        String connection = tenant(org, null, false);
        create(connection, "member@x.test", null);

        admin().body(Map.of("email", "member@x.test")).post("/connections/{c}/sign-ins", org + "-sso")
                .then().statusCode(200).body("organizations", contains(org));
        admin().body(Map.of("email", "stranger@x.test")).post("/connections/{c}/sign-ins", org + "-sso")
                .then().statusCode(403).body("detail", containsString("not assigned to this organization"));
    }

    @Test
    void anInviteeMaySignInEvenWithJitOffAndJoinsWithTheInvitedRole() {
        String org = unique("invite");
        tenant(org, null, false);
        admin().body(Map.of("email", "guest@x.test", "role", "editor")).post("/organizations/{o}/invitations", org)
                .then().statusCode(201);
        admin().get("/organizations/{o}/invitations", org).then().body("email", contains("guest@x.test"));

        admin().body(Map.of("email", "Guest@x.test")).post("/connections/{c}/sign-ins", org + "-sso")
                .then().statusCode(200).body("organizations", contains(org));

        admin().get("/organizations/{o}/members", org).then().body("members[0].source", equalTo("invite"))
                .body("members[0].role", equalTo("editor"));
        admin().get("/organizations/{o}/invitations", org).then().body("$", hasSize(0));
    }

    /** The organization's one seat taken by someone added by hand. */
    private static void leaveNoSeat(String org) {
        admin().body("{\"seats\": 1}").patch("/organizations/{o}", org).then().statusCode(200);
        admin().body(Map.of("email", "hand@x.test")).post("/organizations/{o}/members", org).then().statusCode(201);
    }

    /**
     * Found trying the product as an IdP admin would: a SCIM user who accepted an admin's invitation to a second
     * organization has a membership there of its own source ({@code invite}); the IdP's deactivation took access away
     * in the organization SCIM placed them in but left that one active - no event, the state topic still active - so
     * a service granting access from the events kept doing so after the IdP said the person was gone.
     */
    @Test
    void theIdpsDeactivationReachesAnOrganizationTheUserJoinedByInvitation() {
        String org = unique("invdeac");
        String labs = org + "-labs";
        String connection = tenant(org, null, false);
        CommandOutcome pat = create(connection, "pat@x.test", null);
        assertEquals(CommandOutcome.Status.APPLIED, pat.status());
        admin().body(Map.of("email", "pat@x.test", "role", "editor")).post("/organizations/{o}/invitations", labs)
                .then().statusCode(201);
        admin().body(Map.of("email", "pat@x.test")).post("/connections/{c}/sign-ins", org + "-sso").then()
                .statusCode(200).body("organizations", containsInAnyOrder(org, labs));
        admin().get("/organizations/{o}/members", labs).then().body("members[0].source", equalTo("invite"))
                .body("members[0].state", equalTo("active"));

        CommandOutcome deactivated = replace(connection, pat, false, null);

        assertEquals(CommandOutcome.Status.APPLIED, deactivated.status(), () -> String.valueOf(deactivated.failure()));
        admin().get("/organizations/{o}/members", labs).then().body("members[0].state", equalTo("deactivated"))
                .body("members[0].source", equalTo("invite")).body("members[0].role", equalTo("editor"));
        admin().get("/organizations/{o}", labs).then().body("members", equalTo(1)).body("seatsUsed", equalTo(0));
        assertEquals(List.of("created", "created", "deactivated", "deactivated"), eventTypes(pat.user().id(), 4));

        // Re-activated while the organization has no seat for them: active where SCIM placed them, not there yet.
        leaveNoSeat(labs);
        CommandOutcome reactivated = replace(connection, deactivated, true, null);
        assertEquals(CommandOutcome.Status.APPLIED, reactivated.status(), () -> String.valueOf(reactivated.failure()));
        admin().get("/organizations/{o}/members?email=pat@x.test", org).then().body("members[0].state", equalTo("active"));
        admin().get("/organizations/{o}/members?email=pat@x.test", labs).then()
                .body("members[0].state", equalTo("deactivated"));
        admin().get("/connections/{c}/provisioning-errors", org + "-sso").then()
                .body("find { it.reason == 'NO_SEATS' }.detail", equalTo("the IdP re-activated pat@x.test, who stays "
                        + "deactivated in organization " + labs + " (joined by invitation): " + SeatLimit.refusal(labs, 1)));
        admin().body("{\"seats\": 2}").patch("/organizations/{o}", labs).then().statusCode(200);
        assertEquals(CommandOutcome.Status.APPLIED, replace(connection, reactivated, true, null).status());
        admin().get("/organizations/{o}/members?email=pat@x.test", labs).then()
                .body("members[0].state", equalTo("active")).body("members[0].source", equalTo("invite"));
        admin().get("/organizations/{o}", labs).then().body("seatsUsed", equalTo(2));
    }

    /**
     * Found trying the product as an IdP admin would: with JIT on, a SCIM user's sign-in whose groups place them in a
     * second organization made a membership of source {@code scim} there, which the IdP's next update of anything - a
     * title - ended (the placement is SCIM's own organization), until the next sign-in made it again: a
     * member.removed and member.created, history and role lost, at every turn; and so for a team the sign-in's groups
     * put them in within the organization SCIM placed them in.
     */
    @Test
    void whatASignInsGroupsPlaceStaysThroughTheIdpsUpdatesAndFollowsItsDeactivation() {
        String org = unique("jitplace");
        String labs = org + "-labs";
        String connection = tenant(org, null, true);
        CommandOutcome pat = create(connection, "pat@x.test", null);
        admin().body(Map.of("email", "pat@x.test", "groups", List.of(labs + ":ops", org + ":backend")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200)
                .body("organizations", containsInAnyOrder(org, labs));
        admin().get("/organizations/{o}/members", labs).then().body("members[0].source", equalTo("jit"))
                .body("members[0].teams", contains("ops"));
        admin().get("/organizations/{o}/members", org).then().body("members[0].teams", contains("backend", "everyone"));

        CommandOutcome updated = apply(UserCommand.replace(connection, pat.user().id(), new UserProfile("pat@x.test",
                null, true, ContractJson.mapper().createObjectNode().put("title", "Lead"), null), null, null));

        assertEquals(CommandOutcome.Status.APPLIED, updated.status(), () -> String.valueOf(updated.failure()));
        admin().get("/organizations/{o}/members", labs).then().body("members.email", contains("pat@x.test"))
                .body("members[0].state", equalTo("active")).body("members[0].teams", contains("ops"));
        admin().get("/organizations/{o}/members", org).then().body("members[0].source", equalTo("scim"))
                .body("members[0].teams", contains("backend", "everyone"));
        // The new title reaches both memberships; none ends.
        assertEquals(List.of("created", "created", "updated", "updated"), eventTypes(pat.user().id(), 4));

        CommandOutcome deactivated = replace(connection, updated, false, null);
        assertEquals(CommandOutcome.Status.APPLIED, deactivated.status(), () -> String.valueOf(deactivated.failure()));
        admin().get("/organizations/{o}/members", labs).then().body("members[0].state", equalTo("deactivated"))
                .body("members[0].teams", hasSize(0));
        admin().get("/organizations/{o}/members", org).then().body("members[0].teams", hasSize(0));
        // The title gone (updated) and the state, in both: deactivated, not removed.
        assertEquals(List.of("deactivated", "deactivated", "updated", "updated"),
                eventTypes(pat.user().id(), 8).subList(4, 8).stream().sorted().toList());

        // Re-activated when labs has no seat for them: deactivated there, and a sign-in does not take a seat there
        // that is not free (it made the membership active, over the limit).
        leaveNoSeat(labs);
        assertEquals(CommandOutcome.Status.APPLIED, replace(connection, deactivated, true, null).status());
        admin().body(Map.of("email", "pat@x.test", "groups", List.of(labs + ":ops"))).post("/connections/{c}/sign-ins",
                org + "-sso").then().statusCode(409);
        admin().get("/organizations/{o}/members?email=pat@x.test", labs).then()
                .body("members[0].state", equalTo("deactivated"));
        admin().get("/organizations/{o}", labs).then().body("seatsUsed", equalTo(1));
        // A sign-in whose groups do not name labs grants what is active: not labs, where pat waits for a seat.
        admin().body(Map.of("email", "pat@x.test")).post("/connections/{c}/sign-ins", org + "-sso").then()
                .statusCode(200).body("access", equalTo("granted")).body("organizations", contains(org));
        admin().body("{\"seats\": 2}").patch("/organizations/{o}", labs).then().statusCode(200);
        admin().body(Map.of("email", "pat@x.test", "groups", List.of(labs + ":ops"))).post("/connections/{c}/sign-ins",
                org + "-sso").then().statusCode(200).body("organizations", containsInAnyOrder(org, labs));
        admin().get("/organizations/{o}/members?email=pat@x.test", labs).then()
                .body("members[0].state", equalTo("active")).body("members[0].source", equalTo("jit"))
                .body("members[0].teams", contains("ops"));
        admin().get("/organizations/{o}", labs).then().body("seatsUsed", equalTo(2));
    }

    /**
     * A sign-in whose groups place a member in their organization names no role: the member keeps theirs. The
     * connection's default role is a newcomer's; it once demoted an owner an admin had invited, for good.
     */
    @Test
    void aSignInsGroupKeepsTheRoleOfAMemberWhenTheSignInNamesNone() {
        String org = unique("keeprole");
        tenant(org, null, true);
        admin().body(Map.of("email", "cfo@x.test", "role", "owner")).post("/organizations/{o}/invitations", org)
                .then().statusCode(201);

        admin().body(Map.of("email", "cfo@x.test", "groups", List.of(org.toUpperCase() + ":finance")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200)
                .body("organizations", contains(org)).body("ignoredGroups", empty());

        admin().get("/organizations/{o}/members?email=cfo@x.test", org).then().body("members[0].role", equalTo("owner"))
                .body("members[0].teams", contains("finance"));
        admin().body(Map.of("email", "cfo@x.test", "groups", List.of(org + ":finance"),
                        "attributes", Map.of("role", "editor")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200);
        admin().get("/organizations/{o}/members?email=cfo@x.test", org).then()
                .body("members[0].role", equalTo("editor"));
    }

    @Test
    void signInValuesWinOverScimWhenJitIsOn() {
        String org = unique("prec");
        String connection = tenant(org, null, true);
        create(connection, "p@x.test", new Placement("editor", null, null));

        admin().body(Map.of("email", "p@x.test", "attributes", Map.of("role", "member")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(200);

        admin().get("/organizations/{o}/members", org).then().body("members[0].role", equalTo("member"))
                .body("members[0].source", equalTo("scim"));
    }

    @Test
    void scimCannotChangeOrRemoveJitMembersUntilTheMigrationAdoptsThem() {
        String org = unique("adopt");
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        // SCIM off at first, as a connection is created: the sign-ins of JIT's time, then SCIM switched on.
        String connection = admin().body(Map.of("name", org + "-sso", "organizations", List.of(org),
                        "defaultOrganization", org, "jitEnabled", true))
                .post("/connections").then().statusCode(201).body("scimEnabled", equalTo(false)).extract().path("id");
        String jitId = admin().body(Map.of("email", "early@x.test")).post("/connections/{c}/sign-ins", org + "-sso")
                .then().statusCode(200).extract().path("accountId");
        admin().body(Map.of("email", "hand@x.test")).post("/organizations/{o}/members", org).then().statusCode(201);
        admin().body(Map.of("scimEnabled", true)).patch("/connections/{c}", org + "-sso").then().statusCode(200);
        // A new hire who signs in once SCIM is on, before the IdP's cycle reaches them: the IdP's create adopts them
        // without the migration (refused, the IdP could never de-provision them).
        String lateId = admin().body(Map.of("email", "late@x.test")).post("/connections/{c}/sign-ins", org + "-sso")
                .then().statusCode(200).extract().path("accountId");
        CommandOutcome late = create(connection, "late@x.test", null);
        assertEquals(CommandOutcome.Status.APPLIED, late.status(), () -> String.valueOf(late.failure()));
        assertEquals(lateId, late.user().id());
        assertEquals(CommandOutcome.Status.APPLIED, apply(UserCommand.replace(connection, lateId, new UserProfile(
                "late@x.test", null, false, ContractJson.mapper().createObjectNode(), null), null, null)).status());
        admin().get("/organizations/{o}/members?email=late@x.test", org).then()
                .body("members[0].state", equalTo("deactivated")).body("members[0].source", equalTo("scim"));

        CommandOutcome delete = apply(UserCommand.delete(connection, jitId, null, null));
        assertEquals(CommandFailure.Reason.NOT_MANAGED, delete.failure().reason());
        assertEquals(CommandFailure.Reason.NOT_MANAGED, create(connection, "early@x.test", null).failure().reason());

        admin().body(Map.of("dryRun", true)).post("/connections/{c}/migrations/jit-to-scim", org + "-sso")
                .then().statusCode(200).body("adoptable", contains("early@x.test"))
                .body("notAdoptable.email", contains("hand@x.test")).body("adoptionEnabled", equalTo(false));
        admin().body(Map.of("dryRun", false)).post("/connections/{c}/migrations/jit-to-scim", org + "-sso")
                .then().statusCode(200).body("adoptionEnabled", equalTo(true));

        CommandOutcome adopted = create(connection, "Early@x.test", null);
        assertEquals(CommandOutcome.Status.APPLIED, adopted.status());
        assertEquals(jitId, adopted.user().id(), "the JIT member keeps its id");
        admin().get("/organizations/{o}/members?source=scim", org).then().body("members.email", hasItem("Early@x.test"));
        assertEquals(CommandFailure.Reason.NOT_MANAGED, create(connection, "hand@x.test", null).failure().reason(),
                "manual members are never adopted");
        // Consumers of membership.events learn that SCIM manages the member now: the adoption's last event says so
        // (the renamed account's member.updated, written before the member row, still carries 'jit').
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> events = kafka().awaitEvents(
                dev.scimsync.contracts.Topics.MEMBERSHIP_EVENTS, jitId, 3, java.time.Duration.ofSeconds(30));
        assertEquals(List.of("created", "updated", "updated"), events.stream().map(e -> KafkaTestClient.header(e,
                "ce_type").replaceAll("dev\\.scimsync\\.membership\\.member\\.|\\.v1", "")).toList());
        assertEquals(List.of("jit", "jit", "scim"), events.stream().map(e -> ContractJson.read(e.value(),
                com.fasterxml.jackson.databind.JsonNode.class).path("source").asText()).toList());
    }

    @Test
    void withScimDisabledCommandsAreRefusedAndMembersStay() {
        String org = unique("off");
        String connection = tenant(org, null, true);
        create(connection, "stays@x.test", null);

        admin().body(Map.of("scimEnabled", false)).patch("/connections/{c}", org + "-sso").then().statusCode(200)
                .body("scimEnabled", equalTo(false)).body("jitEnabled", equalTo(true));

        assertEquals(CommandFailure.Reason.FORBIDDEN, create(connection, "new@x.test", null).failure().reason());
        admin().get("/organizations/{o}/members", org).then().body("members.email", contains("stays@x.test"));
    }

    @Test
    void tokensAreShownOnceListedAndRevokedAtOnce() {
        String org = unique("tokens");
        tenant(org, null, true);
        var issued = admin().post("/connections/{c}/scim-tokens", org + "-sso").then().statusCode(201).extract();
        String token = issued.path("token");
        // Absolute, with the admin path the gateway keeps for the audit record of the issue.
        assertTrue(issued.header("Location").endsWith("/internal/v1/admin/connections/" + org + "-sso/scim-tokens/"
                + issued.path("id")), issued.header("Location"));
        String second = admin().post("/connections/{c}/scim-tokens", org + "-sso").then().statusCode(201)
                .extract().path("token");
        String id = token.substring(5, 17);
        given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/internal/v1/scim-tokens/verify")
                .then().statusCode(200).body("connectionName", equalTo(org + "-sso"));
        admin().get("/connections/{c}/scim-tokens", org + "-sso").then().body("id", hasItem(id))
                .body("$", hasSize(2)).body("[0].token", Matchers.nullValue());

        admin().delete("/connections/{c}/scim-tokens/{id}", org + "-sso", id).then().statusCode(204);

        given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/internal/v1/scim-tokens/verify")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("token", second)).post("/internal/v1/scim-tokens/verify")
                .then().statusCode(200);
    }

    @Test
    void badAdminRequestsSayWhatIsWrong() {
        admin().body(Map.of("name", "Not Valid!")).post("/organizations").then().statusCode(400);
        admin().body(Map.of("name", unique("conn"), "defaultOrganization", "no-such-org")).post("/connections")
                .then().statusCode(400).body("detail", containsString("no-such-org"));
        admin().get("/connections/none").then().statusCode(404);
        admin().get("/organizations/none/members").then().statusCode(404);
    }

    /**
     * A sign-in refused because one of its organizations is full writes nothing: the 409 once committed the new
     * account and its placement in the organization placed before the full one - a member with a seat, whose
     * sign-in had been refused.
     */
    @Test
    void aSignInRefusedForWantOfSeatsWritesNothing() {
        String org = unique("fullsignin");
        tenant(org, null, true);
        admin().body("{\"seats\": 0}").patch("/organizations/{o}", org + "-labs").then().statusCode(200);

        admin().body(Map.of("email", "new@x.test", "groups", List.of(org + ":ops", org + "-labs:ops")))
                .post("/connections/{c}/sign-ins", org + "-sso").then().statusCode(409)
                .body("detail", containsString(org + "-labs"));

        admin().get("/organizations/{o}/members?email=new@x.test", org).then().statusCode(200)
                .body("members", hasSize(0));
        admin().get("/organizations/{o}", org).then().body("seatsUsed", equalTo(0));
        admin().body(Map.of("dryRun", true)).post("/connections/{c}/migrations/jit-to-scim", org + "-sso").then()
                .statusCode(200).body("adoptable", hasSize(0));
    }

    /**
     * An admin's add-back refused for want of a seat leaves the removal by hand standing: the 409 once committed the
     * lifted removal, and the IdP's next update placed the person again as soon as a seat was free.
     */
    @Test
    void anAddBackRefusedForWantOfSeatsKeepsTheRemovalByHand() {
        String org = unique("fulladd");
        String connection = tenant(org, null, false);
        CommandOutcome alice = create(connection, "alice@x.test", null);
        admin().body("{\"seats\": 1}").patch("/organizations/{o}", org).then().statusCode(200);
        admin().delete("/organizations/{o}/members/{e}", org, "alice@x.test").then().statusCode(204);
        admin().body(Map.of("email", "bob@x.test")).post("/organizations/{o}/members", org).then().statusCode(201);

        admin().body(Map.of("email", "alice@x.test")).post("/organizations/{o}/members", org).then().statusCode(409);
        admin().body("{\"seats\": 2}").patch("/organizations/{o}", org).then().statusCode(200);
        assertEquals(CommandOutcome.Status.APPLIED, replace(connection, alice, true, null).status());

        admin().get("/organizations/{o}/members?email=alice@x.test", org).then().statusCode(200)
                .body("members", hasSize(0));
    }

    /**
     * Requests that write the same key at once: the first wins, the others are answered as if they came after it -
     * a sign-in is run again and finds the account, an admin's create answers 409 - never 500, which each of them
     * got when PostgreSQL refused the second insert.
     */
    @Test
    void concurrentWritesOfTheSameKeyAnswerAsIfOneAfterTheOther() throws Exception {
        String org = unique("race");
        tenant(org, null, true);
        List<Integer> signIns = atOnce(8, () -> admin().body(Map.of("email", "first@x.test"))
                .post("/connections/{c}/sign-ins", org + "-sso").statusCode());
        assertEquals(java.util.Collections.nCopies(8, 200), signIns);
        admin().get("/organizations/{o}/members?email=first@x.test", org).then().body("members", hasSize(1));

        List<Integer> creates = atOnce(8, () -> admin().body(Map.of("name", org + "-twin")).post("/organizations")
                .statusCode());
        assertEquals(1, java.util.Collections.frequency(creates, 201), creates.toString());
        assertEquals(7, java.util.Collections.frequency(creates, 409), creates.toString());
        List<Integer> adds = atOnce(8, () -> admin().body(Map.of("email", "hand@x.test"))
                .post("/organizations/{o}/members", org).statusCode());
        assertEquals(1, java.util.Collections.frequency(adds, 201), adds.toString());
        assertEquals(7, java.util.Collections.frequency(adds, 409), adds.toString());
    }

    private static List<Integer> atOnce(int requests, java.util.concurrent.Callable<Integer> request)
            throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(requests);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A refused PATCH changes nothing: switching SCIM off beside an unknown organization once did it all the same. */
    @Test
    void aRefusedConnectionChangeChangesNothing() {
        String org = unique("refused");
        tenant(org, null, true);
        admin().body(Map.of("scimEnabled", false, "jitEnabled", false, "defaultRole", "owner", "defaultTeam", "new",
                        "organizations", List.of("no-such-org"))).patch("/connections/{c}", org + "-sso").then()
                .statusCode(400).body("detail", containsString("no-such-org"));
        admin().body(Map.of("scimEnabled", false, "defaultRole", "superuser")).patch("/connections/{c}", org + "-sso")
                .then().statusCode(400).body("detail", containsString("defaultRole"));

        admin().get("/connections/{c}", org + "-sso").then().statusCode(200).body("scimEnabled", equalTo(true))
                .body("jitEnabled", equalTo(true)).body("defaultRole", equalTo("member"))
                .body("defaultTeam", equalTo("everyone")).body("organizations", contains(org, org + "-labs"));
    }

    @Test
    void anOrganizationLinkedByMistakeIsUnlinkedOnceNoneOfTheConnectionsUsersIsThere() {
        String org = unique("unlink");
        String connection = tenant(org, null, false);
        CommandOutcome placed = create(connection, "placed@" + org + ".test", new Placement(null, org + "-labs", null));
        assertEquals(CommandOutcome.Status.APPLIED, placed.status());

        admin().delete("/connections/{c}/organizations/{o}", org + "-sso", org).then().statusCode(409)
                .body("detail", containsString("default organization"));
        admin().delete("/connections/{c}/organizations/{o}", org + "-sso", org + "-labs").then().statusCode(409)
                .body("detail", containsString("has 1 user(s) in '" + org + "-labs'"));
        admin().get("/connections/{c}", org + "-sso").then().body("organizations", contains(org, org + "-labs"));

        // The IdP moves the user to the default organization; then nothing of the connection is left there.
        assertEquals(CommandOutcome.Status.APPLIED, apply(UserCommand.replace(connection, placed.user().id(),
                new UserProfile(placed.user().profile().userName(), null, true,
                        ContractJson.mapper().createObjectNode(), new Placement(null, org, null)), null, null))
                .status());
        admin().delete("/connections/{c}/organizations/{o}", org + "-sso", org + "-labs").then().statusCode(204);

        admin().get("/connections/{c}", org + "-sso").then().body("organizations", contains(org));
        CommandOutcome refused = create(connection, "later@" + org + ".test", new Placement(null, org + "-labs", null));
        assertEquals(CommandOutcome.Status.REJECTED, refused.status());
        assertTrue(refused.failure().detail().contains("not linked"), refused.failure().detail());
        admin().delete("/connections/{c}/organizations/{o}", org + "-sso", org + "-labs").then().statusCode(404)
                .body("detail", containsString("not linked"));
        admin().delete("/connections/{c}/organizations/{o}", org + "-sso", "no-such-org").then().statusCode(404);
        admin().delete("/connections/{c}/organizations/{o}", "no-such-connection", org).then().statusCode(404);
    }
}
