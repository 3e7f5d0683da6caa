package dev.scimsync.membership.api.admin;

import static dev.scimsync.membership.api.admin.MembershipRulesTest.admin;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.tenant;
import static dev.scimsync.membership.api.admin.MembershipRulesTest.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.membership.persistence.StoredDataExpiry;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An admin's invitation grants access only while it is valid (14 days, {@code membership.invitations.valid-for}) and
 * until it is revoked: found trying the product as a security reviewer would - an invitation sent to a wrong address
 * or to a contractor who never signed in could neither be withdrawn nor lapsed, and a member removed by hand came
 * back through the invitation still pending. Against the real database and broker; JIT off, so an invitation is the
 * only way in.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class InvitationsTest {

    private static final Duration VALID_FOR = Duration.ofDays(14);

    @Inject
    StoredDataExpiry expiry;

    @AfterEach
    void runTheClock() {
        TestClock.shared().run();
    }

    private static ValidatableResponse invite(String org, String email, String role) {
        return admin().body(Map.of("email", email, "role", role)).post("/organizations/{o}/invitations", org).then();
    }

    private static ValidatableResponse invitations(String org) {
        return admin().get("/organizations/{o}/invitations", org).then().statusCode(200);
    }

    private static ValidatableResponse signIn(String org, String email) {
        return admin().body(Map.of("email", email)).post("/connections/{c}/sign-ins", org + "-sso").then();
    }

    private static ValidatableResponse members(String org) {
        return admin().get("/organizations/{o}/members", org).then().statusCode(200);
    }

    @Test
    void anInvitationExpiresIsRefusedSayingSoAndIsRenewedByInvitingAgain() {
        String org = unique("invexp");
        tenant(org, null, false);
        // Sent fifteen days ago (the clock stopped then): expired now.
        Instant sent = TestClock.distinctTime().minus(Duration.ofDays(15)).truncatedTo(ChronoUnit.MILLIS);
        TestClock.shared().stopAt(sent);
        invite(org, "ann@x.test", "editor").statusCode(201).body("state", equalTo("pending"))
                .body("expiresAt", equalTo(sent.plus(VALID_FOR).toString()));
        invite(org, "ANN@x.test", "owner").statusCode(409).body("detail", containsString("already invited"));
        invite(org, "bob@x.test", "member").statusCode(201);
        TestClock.shared().run();

        invitations(org).body("email", contains("ann@x.test", "bob@x.test"))
                .body("state", contains("expired", "expired"));
        signIn(org, "ann@x.test").statusCode(403).body("detail", equalTo("access denied: ann@x.test is not "
                + "assigned to this organization (JIT provisioning is off for connection " + org + "-sso); the "
                + "invitation to " + org + " expired on " + sent.plus(VALID_FOR) + ": an admin can invite them again"));
        members(org).body("totalResults", equalTo(0));

        // Inviting again renews it, with the role asked now.
        Instant renewed = Instant.now();
        String expiresAt = invite(org, "ann@x.test", "owner").statusCode(201).body("state", equalTo("pending"))
                .body("role", equalTo("owner")).extract().path("expiresAt");
        assertTrue(!Instant.parse(expiresAt).isBefore(renewed.plus(VALID_FOR).minusSeconds(1)), expiresAt);
        signIn(org, "ann@x.test").statusCode(200).body("organizations", contains(org));
        members(org).body("members.email", contains("ann@x.test")).body("members[0].role", equalTo("owner"))
                .body("members[0].source", equalTo("invite"));
        invitations(org).body("email", contains("bob@x.test"));
    }

    @Test
    void anInvitationIsDeletedThirtyDaysAfterItExpired() {
        String org = unique("invdel");
        tenant(org, null, false);
        Instant now = TestClock.distinctTime();
        TestClock.shared().stopAt(now.minus(VALID_FOR).minus(Duration.ofDays(31)));
        invite(org, "gone@x.test", "member").statusCode(201);
        TestClock.shared().stopAt(now.minus(VALID_FOR).minus(Duration.ofDays(29)));
        invite(org, "lapsed@x.test", "member").statusCode(201);
        TestClock.shared().stopAt(now);

        expiry.expire().await().atMost(Duration.ofSeconds(30));

        invitations(org).body("email", contains("lapsed@x.test")).body("state", contains("expired"));
        signIn(org, "lapsed@x.test").statusCode(403).body("detail", containsString("the invitation to " + org
                + " expired on"));
        signIn(org, "gone@x.test").statusCode(403).body("detail", not(containsString("invitation")));
    }

    @Test
    void aRevokedInvitationIsNotAcceptedAndAMemberRemovedByHandLosesTheirs() {
        String org = unique("invrev");
        tenant(org, null, false);
        invite(org, "cy@x.test", "member").statusCode(201);
        admin().delete("/organizations/{o}/invitations/{e}", org, "CY@x.test").then().statusCode(204);
        admin().delete("/organizations/{o}/invitations/{e}", org, "cy@x.test").then().statusCode(404)
                .body("detail", equalTo("cy@x.test is not invited to " + org));
        invitations(org).body("$", hasSize(0));
        signIn(org, "cy@x.test").statusCode(403).body("detail", not(containsString("invitation")));
        members(org).body("totalResults", equalTo(0));

        // Added by hand while an invitation was pending, then removed by hand: the invitation goes with them.
        invite(org, "dee@x.test", "owner").statusCode(201);
        admin().body(Map.of("email", "dee@x.test")).post("/organizations/{o}/members", org).then().statusCode(201);
        // A member already is not invited (accepted, it took the membership from its source).
        invite(org, "DEE@x.test", "owner").statusCode(409).body("detail", equalTo("DEE@x.test is already a member of "
                + org + " (source manual)"));
        admin().delete("/organizations/{o}/members/{e}", org, "dee@x.test").then().statusCode(204);
        invitations(org).body("$", hasSize(0));
        signIn(org, "dee@x.test").statusCode(403);
        members(org).body("totalResults", equalTo(0));
    }
}
