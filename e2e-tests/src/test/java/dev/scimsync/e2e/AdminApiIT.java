package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.scimsync.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An admin wires up a new organization and IdP connection through the gateway's admin API, then the IdP provisions. */
class AdminApiIT {

    private static RequestSpecification admin() {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON);
    }

    private static RequestSpecification idp(String token) {
        return given().baseUri(SharedStack.endpoints().scimBaseUrl()).header("Authorization", "Bearer " + token)
                .contentType(SCIM);
    }

    private static String user(String userName, String extension) {
        return "{\"schemas\":[\"%s\"],\"userName\":\"%s\"%s}".formatted(CORE_USER, userName, extension);
    }

    /**
     * A new organization (with these fields beside its name) and its connection "{org}-sso" with SCIM on; the
     * connection's SCIM token, once the gateway takes it.
     */
    private static String scimConnectedOrganization(String org, Map<String, Object> organization) {
        Map<String, Object> fields = new java.util.HashMap<>(organization);
        fields.put("name", org);
        admin().body(fields).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", org + "-sso", "defaultOrganization", org, "scimEnabled", true))
                .post("/connections").then().statusCode(201);
        String token = admin().post("/connections/{c}/scim-tokens", org + "-sso").then().extract().path("token");
        await().atMost(5, SECONDS).until(() -> idp(token).get("/Users?count=0").statusCode() == 200);
        return token;
    }

    @Test
    void theAdminApiNeedsTheAdminToken() {
        given().baseUri(SharedStack.endpoints().adminBaseUrl()).get("/organizations/acme").then().statusCode(401);
        given().baseUri(SharedStack.endpoints().adminBaseUrl())
                .header("Authorization", "Bearer " + SharedStack.endpoints().scimToken())
                .get("/organizations/acme").then().statusCode(401);
    }

    @Test
    void fromANewConnectionToProvisionedMembersAndTokenRotation() {
        String org = "globex-" + UUID.randomUUID().toString().substring(0, 6);
        String connection = org + "-sso";
        admin().body(Map.of("name", org, "seats", 10)).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", org + "-labs")).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", connection, "organizations", List.of(org, org + "-labs"),
                        "defaultOrganization", org, "defaultTeam", "staff", "defaultRole", "member"))
                .post("/connections").then().statusCode(201)
                .body("scimEnabled", equalTo(false)).body("jitEnabled", equalTo(true));
        String token = admin().post("/connections/{c}/scim-tokens", connection).then().statusCode(201)
                .extract().path("token");

        // SCIM is off until the admin turns it on.
        idp(token).body(user("a@" + org + ".test", "")).post("/Users").then().statusCode(403)
                .contentType(SCIM).body("detail", containsString("not enabled"));
        admin().body(Map.of("scimEnabled", true)).patch("/connections/{c}", connection).then().statusCode(200);
        // The gateway learns it from scim.credentials (membership-service's outbox): within a second.
        await().atMost(1, SECONDS).pollInterval(20, MILLISECONDS)
                .until(() -> idp(token).get("/Users?count=0").statusCode() == 200);

        idp(token).body(user("a@" + org + ".test", "")).post("/Users").then().statusCode(201);
        idp(token).body(user("o@" + org + ".test", ",\"urn:ietf:params:scim:schemas:extension:docker:2.0:User\":"
                + "{\"dockerRole\":\"owner\",\"dockerOrg\":\"" + org + "-labs\",\"dockerTeam\":\"desktop\"}"))
                .post("/Users").then().statusCode(201);
        idp(token).body(user("x@" + org + ".test", ",\"urn:ietf:params:scim:schemas:extension:docker:2.0:User\":"
                + "{\"dockerOrg\":\"initech\"}")).post("/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidValue")).body("detail", containsString("'initech' is not linked"));

        admin().get("/organizations/{o}/members", org).then().statusCode(200)
                .body("members.email", contains("a@" + org + ".test")).body("members[0].teams", contains("staff"));
        admin().get("/organizations/{o}/members", org + "-labs").then()
                .body("members[0].role", equalTo("owner")).body("members[0].teams", contains("desktop"));
        admin().get("/organizations/{o}/members/export", org).then().statusCode(200).contentType("text/csv")
                .body(containsString("a@" + org + ".test,,member,active,scim,staff,"));
        admin().get("/connections/{c}/provisioning-errors", connection).then().statusCode(200)
                .body("[0].userName", equalTo("x@" + org + ".test"))
                .body("[0].reason", equalTo("INVALID_VALUE"));

        // Rotation: a second token works beside the first; revoking the first stops it within a second.
        String next = admin().post("/connections/{c}/scim-tokens", connection).then().statusCode(201)
                .extract().path("token");
        idp(next).get("/Users?count=0").then().statusCode(200).body("totalResults", equalTo(2));
        String firstId = token.substring(5, 17);
        admin().get("/connections/{c}/scim-tokens", connection).then().body("id", hasItem(firstId));
        admin().delete("/connections/{c}/scim-tokens/{id}", connection, firstId).then().statusCode(204);
        await().atMost(1, SECONDS).pollInterval(20, MILLISECONDS)
                .until(() -> idp(token).get("/Users?count=0").statusCode() == 401);
        idp(token).get("/Users").then().statusCode(401).contentType(SCIM);
        idp(next).get("/Users").then().statusCode(200);
    }

    @Test
    void aFullOrganizationIsAFailureWithItsReasonAndTheIdpsRetrySucceedsOnceSeatsAreAdded() {
        String org = "umbrella-" + UUID.randomUUID().toString().substring(0, 6);
        String connection = org + "-sso";
        String token = scimConnectedOrganization(org, Map.of("seats", 1));
        idp(token).body(user("first@" + org + ".test", "")).post("/Users").then().statusCode(201);

        // Not 409, which Okta and Entra take for "exists, link it": a failure whose reason names the limit.
        idp(token).body(user("second@" + org + ".test", "")).post("/Users").then().statusCode(403).contentType(SCIM)
                .body("detail", containsString("not enough seats in organization " + org + " (all 1 seats are taken)"));
        admin().get("/connections/{c}/provisioning-errors", connection).then().statusCode(200)
                .body("[0].reason", equalTo("NO_SEATS")).body("[0].userName", equalTo("second@" + org + ".test"));

        admin().body(Map.of("seats", 2)).patch("/organizations/{o}", org).then().statusCode(200).body("seats", equalTo(2));
        idp(token).body(user("second@" + org + ".test", "")).post("/Users").then().statusCode(201);
    }

    /**
     * A broken role mapping: the IdP sends a role there is none of. A create or an update carrying it is refused
     * (400, and listed for the admin), but a deactivation carrying it - an IdP that de-provisions with a PUT of the
     * whole user - is applied alone: the person loses access though the mapping is still broken.
     */
    @Test
    void aBrokenRoleMappingIsRefusedAndListedButADeactivationCarryingItIsAppliedAlone() {
        String org = "hooli-" + UUID.randomUUID().toString().substring(0, 6);
        String connection = org + "-sso";
        String token = scimConnectedOrganization(org, Map.of());
        String role = ",\"urn:ietf:params:scim:schemas:extension:docker:2.0:User\":{\"dockerRole\":\"%s\"}";
        idp(token).body(user("bad@" + org + ".test", role.formatted("superadmin"))).post("/Users").then()
                .statusCode(400).contentType(SCIM).body("scimType", equalTo("invalidValue"))
                .body("detail", containsString("'superadmin' is not one of member, editor, owner"));
        String id = idp(token).body(user("gavin@" + org + ".test", role.formatted("Editor"))).post("/Users").then()
                .statusCode(201).extract().path("id");
        String whole = "{\"schemas\":[\"%s\"],\"userName\":\"gavin@%s.test\",\"title\":\"CEO\",\"active\":%s%s}";

        idp(token).body(whole.formatted(CORE_USER, org, true, role.formatted("superadmin"))).put("/Users/{id}", id)
                .then().statusCode(400).body("scimType", equalTo("invalidValue"));
        idp(token).body(whole.formatted(CORE_USER, org, false, role.formatted("superadmin"))).put("/Users/{id}", id)
                .then().statusCode(200).contentType(SCIM).body("active", equalTo(false))
                .body("title", nullValue())
                .body("'urn:ietf:params:scim:schemas:extension:docker:2.0:User'.dockerRole", equalTo("Editor"));

        admin().get("/organizations/{o}/members", org).then().statusCode(200)
                .body("members.email", contains("gavin@" + org + ".test"))
                .body("members[0].state", equalTo("deactivated")).body("members[0].role", equalTo("editor"));
        admin().get("/connections/{c}/provisioning-errors", connection).then().statusCode(200)
                .body("detail", hasItem(startsWith("the deactivation was applied alone; the rest of the change was "
                        + "refused: role 'superadmin'")))
                .body("userName", hasItem("bad@" + org + ".test"));
    }

    /**
     * The same for a value the gateway's schema check refuses: a PATCH (Entra ID's shape) deactivating a user beside
     * a number mapped to a string attribute deactivates the user alone, and the refusal is listed.
     */
    @Test
    void aDeactivationBesideAValueTheGatewayRefusesIsAppliedAloneAndListed() {
        String org = "pied-" + UUID.randomUUID().toString().substring(0, 6);
        String token = scimConnectedOrganization(org, Map.of());
        String id = idp(token).body(user("richard@" + org + ".test", "")).post("/Users").then().statusCode(201)
                .extract().path("id");

        idp(token).body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                        + "{\"op\":\"Replace\",\"path\":\"title\",\"value\":42},"
                        + "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}")
                .patch("/Users/{id}", id).then().statusCode(200).contentType(SCIM).body("active", equalTo(false));

        admin().get("/organizations/{o}/members", org).then().statusCode(200)
                .body("members[0].state", equalTo("deactivated"));
        admin().body(Map.of("email", "richard@" + org + ".test")).post("/connections/{c}/sign-ins", org + "-sso")
                .then().statusCode(403);
        admin().get("/connections/{c}/provisioning-errors", org + "-sso").then().statusCode(200)
                .body("detail", hasItem("the deactivation was applied alone; the rest of the change was refused: "
                        + "'title' must be a string, got 42"));
    }

    /**
     * JIT members from before SCIM was switched on wait for the migration; one whose sign-in came once SCIM was on
     * (before the IdP's cycle reached them) is the IdP's create's to adopt at once.
     */
    @Test
    void scimLeavesJitMembersAloneUntilAdopted() {
        String org = "initrode-" + UUID.randomUUID().toString().substring(0, 6);
        String connection = org + "-sso";
        String token = scimConnectedOrganization(org, Map.of());
        admin().body(Map.of("email", "newhire@" + org + ".test")).post("/connections/{c}/sign-ins", connection)
                .then().statusCode(200);
        idp(token).body(user("newhire@" + org + ".test", "")).post("/Users").then().statusCode(201);
        // The JIT era: SCIM off; a connection created with it on counts from then, so this one starts afresh.
        org = "initrode-" + UUID.randomUUID().toString().substring(0, 6);
        connection = org + "-sso";
        admin().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", connection, "defaultOrganization", org)).post("/connections").then()
                .statusCode(201);
        String jitId = admin().body(Map.of("email", "milton@" + org + ".test", "givenName", "Milton"))
                .post("/connections/{c}/sign-ins", connection).then().statusCode(200).extract().path("accountId");
        admin().body(Map.of("scimEnabled", true)).patch("/connections/{c}", connection).then().statusCode(200);
        String jitEraToken = admin().post("/connections/{c}/scim-tokens", connection).then().extract().path("token");
        await().atMost(5, SECONDS).until(() -> idp(jitEraToken).get("/Users?count=0").statusCode() == 200);
        token = jitEraToken;

        idp(token).get("/Users/{id}", jitId).then().statusCode(404);
        idp(token).delete("/Users/{id}", jitId).then().statusCode(409).contentType(SCIM)
                .body("detail", containsString("before SCIM"));
        idp(token).body(user("milton@" + org + ".test", "")).post("/Users").then().statusCode(409)
                .body("detail", containsString("JIT-to-SCIM migration"));

        admin().body(Map.of("dryRun", false)).post("/connections/{c}/migrations/jit-to-scim", connection)
                .then().statusCode(200).body("adoptable", contains("milton@" + org + ".test"));
        idp(token).body(user("milton@" + org + ".test", "")).post("/Users").then().statusCode(201)
                .body("id", equalTo(jitId));
    }
}
