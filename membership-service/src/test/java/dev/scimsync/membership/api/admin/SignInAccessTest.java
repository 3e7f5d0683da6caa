package dev.scimsync.membership.api.admin;

import static dev.scimsync.membership.api.admin.MembershipRulesTest.admin;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.tenant;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Access follows SCIM's state: a user the IdP deactivated or removed is refused at sign-in on every path (JIT
 * on or off, with a pending invitation), nothing is created or accepted, the refusal is a provisioning error,
 * and re-activation (or a new SCIM create) restores access. Against the real database and broker.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class SignInAccessTest {

    private static final Pattern REMOVED_AT = Pattern.compile("removed by the identity provider \\(SCIM\\) on (\\S+);");

    private static KafkaTestClient kafka() {
        return KafkaTestClient.forQuarkusTest();
    }

    private static UserSnapshot scimUser(String connection, String email) {
        CommandOutcome created = kafka().apply(UserCommand.create(connection, profile(email, true), origin()));
        assertEquals(CommandOutcome.Status.APPLIED, created.status());
        return created.user();
    }

    /** PATCH {"active": ...} as the gateway sends it: a replace of the whole profile. */
    private static UserSnapshot setActive(String connection, UserSnapshot user, boolean active) {
        CommandOutcome replaced = kafka().apply(UserCommand.replace(connection, user.id(),
                profile(user.profile().userName(), active), null, origin()));
        assertEquals(CommandOutcome.Status.APPLIED, replaced.status());
        return replaced.user();
    }

    private static void remove(String connection, UserSnapshot user) {
        assertTrue(kafka().apply(UserCommand.delete(connection, user.id(), null, origin())).deleted());
    }

    private static UserProfile profile(String email, boolean active) {
        return new UserProfile(email, null, active, ContractJson.mapper().createObjectNode());
    }

    private static CommandOrigin origin() {
        return new CommandOrigin("t", null, null, null);
    }

    private static ValidatableResponse signIn(String org, Map<String, Object> body) {
        return admin().body(body).post("/connections/{c}/sign-ins", org + "-sso").then();
    }

    private static String deactivatedDetail(String email, UserSnapshot deactivated) {
        return "access denied: " + email + " was deactivated by the identity provider (SCIM) on "
                + deactivated.lastModified() + "; re-activate the user in the IdP to restore access";
    }

    private static ValidatableResponse members(String org) {
        return admin().get("/organizations/{o}/members", org).then().statusCode(200);
    }

    private static ValidatableResponse latestError(String org) {
        return admin().get("/connections/{c}/provisioning-errors", org + "-sso").then().statusCode(200);
    }

    /** The time a removal refusal names, checked to lie between two readings of the clock. */
    private static void assertRemovedBetween(String detail, Instant before, Instant after) {
        Matcher time = REMOVED_AT.matcher(detail);
        assertTrue(time.find(), detail);
        Instant removedAt = Instant.parse(time.group(1));
        assertFalse(removedAt.isBefore(before.minusMillis(1)) || removedAt.isAfter(after), detail);
    }

    @Test
    void withJitOnADeactivatedMemberIsRefusedAndNeitherPlacedNorChangedUntilReactivated() {
        String org = unique("deact");
        String connection = tenant(org, null, true);
        UserSnapshot user = scimUser(connection, "deact1@x.test");
        UserSnapshot deactivated = setActive(connection, user, false);

        signIn(org, Map.of("email", "Deact1@x.test", "groups", List.of(org + "-labs:desktop"),
                "attributes", Map.of("role", "owner")))
                .statusCode(403).body("status", equalTo(403))
                .body("detail", equalTo(deactivatedDetail("Deact1@x.test", deactivated)));

        members(org).body("members.email", contains("deact1@x.test")).body("members[0].role", equalTo("member"))
                .body("members[0].state", equalTo("deactivated"))
                .body("members[0].deactivatedAt", equalTo(deactivated.lastModified().toString()));
        members(org + "-labs").body("totalResults", equalTo(0));
        latestError(org).body("[0].operation", equalTo("sign-in")).body("[0].userName", equalTo("Deact1@x.test"))
                .body("[0].reason", equalTo("DEACTIVATED"))
                .body("[0].detail", equalTo(deactivatedDetail("Deact1@x.test", deactivated)))
                .body("[0].suggestedFix", equalTo("The IdP deactivated this user, so sign-ins are refused: "
                        + "re-activate the user in the IdP to restore access (nothing to do if the refusal is intended)."));

        setActive(connection, deactivated, true);

        signIn(org, Map.of("email", "deact1@x.test", "groups", List.of(org + "-labs:desktop")))
                .statusCode(200).body("access", equalTo("granted")).body("accountId", equalTo(user.id()))
                .body("organizations", contains(org, org + "-labs"));
        members(org).body("members[0].state", equalTo("active")).body("members[0].deactivatedAt", nullValue());
        members(org + "-labs").body("members.email", contains("deact1@x.test"))
                .body("members[0].teams", contains("desktop"));
    }

    @Test
    void withJitOffADeactivatedMemberIsRefusedForBeingDeactivatedUntilReactivated() {
        String org = unique("deactoff");
        String connection = tenant(org, null, false);
        UserSnapshot deactivated = setActive(connection, scimUser(connection, "off@x.test"), false);

        signIn(org, Map.of("email", "off@x.test")).statusCode(403)
                .body("detail", equalTo(deactivatedDetail("off@x.test", deactivated)));
        members(org).body("members[0].state", equalTo("deactivated"));
        // Tried twice more (a person trying again, an SSO layer retrying): one entry, seen three times.
        signIn(org, Map.of("email", "OFF@x.test")).statusCode(403);
        signIn(org, Map.of("email", "off@x.test")).statusCode(403);
        Map<String, Object> seen = latestError(org).body("$", hasSize(1)).body("[0].count", equalTo(3))
                .body("[0].reason", equalTo("DEACTIVATED")).body("[0].userName", equalTo("off@x.test"))
                .extract().path("[0]");
        assertTrue(Instant.parse((String) seen.get("firstSeen")).isBefore(Instant.parse((String) seen.get("occurredAt"))),
                seen::toString);

        setActive(connection, deactivated, true);

        signIn(org, Map.of("email", "off@x.test")).statusCode(200).body("organizations", contains(org));
    }

    /**
     * An active account may have a deactivated membership (the IdP's re-activation found no seat in an organization
     * the user joined by invitation or at a sign-in): JIT-off access is by active membership, not by account.
     */
    @Test
    void withJitOffOnlyActiveMembershipsGiveAccess() throws Exception {
        String org = unique("memstate");
        String connection = tenant(org, null, false);
        UserSnapshot user = scimUser(connection, "half@x.test");
        signIn(org, Map.of("email", "half@x.test")).statusCode(200).body("organizations", contains(org));

        try (Connection database = TestDatabase.connect(); PreparedStatement deactivate = database.prepareStatement(
                "update member set state = 'deactivated' where account_id = ?")) {
            deactivate.setObject(1, UUID.fromString(user.id()));
            assertEquals(1, deactivate.executeUpdate());
        }

        signIn(org, Map.of("email", "half@x.test")).statusCode(403)
                .body("detail", containsString("half@x.test is not assigned to this organization"));
    }


    /**
     * Found on the local stack: a user one connection's IdP deactivated signed in through another connection of the
     * same organization (JIT on), which created a second, active account there - the de-provisioning undone.
     */
    @Test
    void aUserOneConnectionDeactivatedIsRefusedThroughAnotherConnectionOfTheOrganization() {
        String org = unique("twoidp");
        String connection = tenant(org, null, true);
        String contractors = org + "-contractors";
        admin().body(Map.of("name", contractors, "organizations", List.of(org), "defaultOrganization", org,
                "jitEnabled", true, "scimEnabled", false)).post("/connections").then().statusCode(201);
        UserSnapshot user = scimUser(connection, "pat@x.test");

        // Active: the sign-in through the other connection is this member, as its IdP placed it.
        admin().body(Map.of("email", "Pat@x.test", "groups", List.of(org + ":sales")))
                .post("/connections/{c}/sign-ins", contractors).then().statusCode(200).body("accountId", equalTo(user.id())).body("organizations", contains(org))
                .body("ignoredGroups", contains(org + ":sales"));
        members(org).body("members.email", contains("pat@x.test")).body("members[0].source", equalTo("scim"));

        UserSnapshot deactivated = setActive(connection, user, false);

        String byTheOtherIdp = "access denied: Pat@x.test was deactivated by the identity provider (SCIM) of connection "
                + org + "-sso on " + deactivated.lastModified() + "; re-activate the user in the IdP of connection "
                + org + "-sso to restore access";
        admin().body(Map.of("email", "Pat@x.test")).post("/connections/{c}/sign-ins", contractors).then()
                .statusCode(403).body("detail", equalTo(byTheOtherIdp));
        members(org).body("members.email", contains("pat@x.test")).body("members[0].state", equalTo("deactivated"));
        admin().get("/connections/{c}/provisioning-errors", contractors).then().statusCode(200)
                .body("[0].reason", equalTo("DEACTIVATED")).body("[0].userName", equalTo("Pat@x.test"));

        setActive(connection, deactivated, true);

        admin().body(Map.of("email", "pat@x.test")).post("/connections/{c}/sign-ins", contractors).then()
                .statusCode(200).body("accountId", equalTo(user.id()));
        members(org).body("totalResults", equalTo(1));

        // A person with an account of each connection (linked to other organizations when they signed in): the
        // deactivation by one IdP is not undone by the other connection's own account either.
        UserSnapshot kim = kafka().apply(UserCommand.create(connection, new UserProfile("kim@x.test", null, true,
                ContractJson.mapper().createObjectNode(), new Placement(null, org + "-labs", null)), origin())).user();
        String kimThroughContractors = admin().body(Map.of("email", "kim@x.test"))
                .post("/connections/{c}/sign-ins", contractors).then().statusCode(200)
                .body("organizations", contains(org)).extract().path("accountId");
        assertNotEquals(kim.id(), kimThroughContractors);
        admin().body(Map.of("organizations", List.of(org, org + "-labs"))).patch("/connections/{c}", contractors)
                .then().statusCode(200);
        setActive(connection, kim, false);

        admin().body(Map.of("email", "kim@x.test")).post("/connections/{c}/sign-ins", contractors).then()
                .statusCode(403).body("detail", containsString("was deactivated by the identity provider (SCIM) of "
                        + "connection " + org + "-sso"));
    }

    @Test
    void aDeactivatedMembersPendingInvitationIsNeitherAcceptedNorConsumedUntilReactivated() {
        String org = unique("deactinv");
        String connection = tenant(org, null, false);
        UserSnapshot deactivated = setActive(connection, scimUser(connection, "inv@x.test"), false);
        admin().body(Map.of("email", "inv@x.test", "role", "editor")).post("/organizations/{o}/invitations", org + "-labs")
                .then().statusCode(201);

        signIn(org, Map.of("email", "inv@x.test")).statusCode(403)
                .body("detail", equalTo(deactivatedDetail("inv@x.test", deactivated)));

        admin().get("/organizations/{o}/invitations", org + "-labs").then().body("email", contains("inv@x.test"));
        members(org + "-labs").body("totalResults", equalTo(0));

        setActive(connection, deactivated, true);

        signIn(org, Map.of("email", "inv@x.test")).statusCode(200).body("organizations", contains(org, org + "-labs"));
        admin().get("/organizations/{o}/invitations", org + "-labs").then().body("$", hasSize(0));
        members(org + "-labs").body("members[0].role", equalTo("editor")).body("members[0].state", equalTo("active"));
    }

    /**
     * Found after the connection-to-connection migration made removing an IdP's members no longer the way to move an
     * organization to another IdP: a user one IdP removed signed in through a second connection of the organization
     * with JIT on, which created them again as a new member.
     */
    @Test
    void aUserOneConnectionRemovedIsNotCreatedAgainByJitThroughAnotherButAnInvitationIsAccepted() {
        String org = unique("twoidprm");
        String connection = tenant(org, null, true);
        String contractors = org + "-contractors";
        admin().body(Map.of("name", contractors, "organizations", List.of(org), "defaultOrganization", org,
                "jitEnabled", true, "scimEnabled", false)).post("/connections").then().statusCode(201);
        UserSnapshot user = scimUser(connection, "lee@x.test");
        Instant before = Instant.now();
        remove(connection, user);
        Instant after = Instant.now();

        String detail = admin().body(Map.of("email", "Lee@x.test")).post("/connections/{c}/sign-ins", contractors)
                .then().statusCode(403).extract().path("detail");

        assertTrue(detail.startsWith("access denied: Lee@x.test was removed by the identity provider (SCIM) of "
                + "connection " + org + "-sso on "), detail);
        assertTrue(detail.endsWith("; assign the user to the app in the IdP of connection " + org + "-sso again to "
                + "restore access"), detail);
        Matcher time = Pattern.compile(" on (\\S+);").matcher(detail);
        assertTrue(time.find(), detail);
        Instant removedAt = Instant.parse(time.group(1));
        assertFalse(removedAt.isBefore(before.minusMillis(1)) || removedAt.isAfter(after), detail);
        members(org).body("totalResults", equalTo(0));
        admin().get("/connections/{c}/provisioning-errors", contractors).then().statusCode(200)
                .body("[0].reason", equalTo("REMOVED")).body("[0].detail", equalTo(detail))
                .body("[0].suggestedFix", equalTo("The SCIM of connection " + org + "-sso removed this user, so JIT "
                        + "through this connection does not create them again: assign the user to the app in the IdP "
                        + "of connection " + org + "-sso again, or invite them to the organization, to restore access "
                        + "(nothing to do if the refusal is intended)."));
        admin().body(Map.of("email", "someone-else@x.test")).post("/connections/{c}/sign-ins", contractors).then()
                .statusCode(200).body("organizations", contains(org));

        // An admin's invitation is their own act: accepted through the other connection.
        admin().body(Map.of("email", "lee@x.test", "role", "member")).post("/organizations/{o}/invitations", org)
                .then().statusCode(201);
        admin().body(Map.of("email", "lee@x.test")).post("/connections/{c}/sign-ins", contractors).then()
                .statusCode(200).body("organizations", contains(org));
        members(org).body("members.email", containsInAnyOrder("someone-else@x.test", "lee@x.test"));
    }

    @Test
    void withJitOnAUserScimRemovedIsNotCreatedAgainUntilScimCreatesThem() {
        String org = unique("removed");
        String connection = tenant(org, null, true);
        UserSnapshot user = scimUser(connection, "gone@x.test");
        Instant before = Instant.now();
        remove(connection, user);
        Instant after = Instant.now();

        String detail = signIn(org, Map.of("email", "GONE@x.test", "givenName", "Gone")).statusCode(403)
                .extract().path("detail");

        assertTrue(detail.startsWith("access denied: GONE@x.test was removed by the identity provider (SCIM) on "),
                detail);
        assertTrue(detail.endsWith("; assign the user to the app in the IdP again to restore access"), detail);
        assertRemovedBetween(detail, before, after);
        members(org).body("totalResults", equalTo(0));
        latestError(org).body("[0].reason", equalTo("REMOVED")).body("[0].operation", equalTo("sign-in"))
                .body("[0].detail", equalTo(detail));

        UserSnapshot again = scimUser(connection, "gone@x.test");

        signIn(org, Map.of("email", "gone@x.test")).statusCode(200).body("accountId", equalTo(again.id()))
                .body("organizations", contains(org));
        members(org).body("members.email", contains("gone@x.test")).body("members[0].source", equalTo("scim"));
    }

    @Test
    void theInvitationOfAUserScimRemovedStaysPendingAndIsRefusedOnlyOnThatConnection() {
        String org = unique("reminv");
        String connection = tenant(org, null, false);
        remove(connection, scimUser(connection, "left@x.test"));
        admin().body(Map.of("email", "left@x.test", "role", "member")).post("/organizations/{o}/invitations", org)
                .then().statusCode(201);

        signIn(org, Map.of("email", "left@x.test")).statusCode(403)
                .body("detail", containsString("left@x.test was removed by the identity provider"));

        admin().get("/organizations/{o}/invitations", org).then().body("email", contains("left@x.test"));
        members(org).body("totalResults", equalTo(0));

        // Another connection of the organization never had the user: its invitation is accepted there.
        admin().body(Map.of("name", org + "-okta", "organizations", List.of(org), "defaultOrganization", org,
                "jitEnabled", false, "scimEnabled", true)).post("/connections").then().statusCode(201);
        admin().body(Map.of("email", "left@x.test")).post("/connections/{c}/sign-ins", org + "-okta").then()
                .statusCode(200).body("organizations", contains(org));
        admin().get("/organizations/{o}/invitations", org).then().body("$", hasSize(0));
    }
}
