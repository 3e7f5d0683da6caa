package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.PATCH_OP;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.scimsync.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * What an admin sets up before following one IdP guide: an organization, a second one ({@code labs}) linked to
 * the same connection, and the connection with its SCIM token - all through the admin API, as the guides say.
 */
record GuideTenant(String organization, String labs, String connection, String token) {

    static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String ROLE_MAPPING = "urn:ietf:params:scim:schemas:extension:docker:2.0:User";

    /** Both organizations and a connection with default team {@code everyone} and role {@code member}. */
    static GuideTenant create(String label, boolean scimEnabled) {
        String org = label + "-" + UUID.randomUUID().toString().substring(0, 6);
        admin().body(Map.of("name", org, "seats", 200)).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", org + "-labs")).post("/organizations").then().statusCode(201);
        admin().body(Map.of("name", org + "-sso", "organizations", List.of(org, org + "-labs"),
                        "defaultOrganization", org, "defaultTeam", "everyone", "defaultRole", "member",
                        "jitEnabled", true, "scimEnabled", scimEnabled))
                .post("/connections").then().statusCode(201);
        String token = scimEnabled ? newScimToken(org + "-sso") : null;
        if (token != null) {
            awaitScimAccepts(token);
        }
        return new GuideTenant(org, org + "-labs", org + "-sso", token);
    }

    static String newScimToken(String connection) {
        return admin().post("/connections/{c}/scim-tokens", connection).then().statusCode(201).extract().path("token");
    }

    /** The gateway learns a new token, and SCIM switched on, from {@code scim.credentials}: a moment later. */
    static void awaitScimAccepts(String token) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> idp(token).queryParam("count", 0).get("/Users").statusCode() == 200);
    }

    static RequestSpecification admin() {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON);
    }

    static RequestSpecification idp(String token) {
        return given().baseUri(SharedStack.endpoints().scimBaseUrl()).header("Authorization", "Bearer " + token)
                .contentType(SCIM);
    }

    RequestSpecification idp() {
        return idp(token);
    }

    /** The same tenant as an IdP holding another token of the connection sees it. */
    GuideTenant withToken(String other) {
        return new GuideTenant(organization, labs, connection, other);
    }

    String email(String localPart) {
        return localPart + "@" + organization + ".test";
    }

    /** A group PATCH with these operations (JSON objects, comma separated). */
    ValidatableResponse patchGroup(String groupId, String operations) {
        return idp().body("{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}")
                .patch("/Groups/{id}", groupId).then();
    }

    /** A PATCH operation on {@code members} with a value array: {@code add}, or {@code remove} as Entra sends it. */
    static String membersOperation(String op, String... ids) {
        return "{\"op\":\"" + op + "\",\"path\":\"members\",\"value\":" + memberArray(ids) + "}";
    }

    static String memberArray(String... ids) {
        return List.of(ids).stream().map(id -> "{\"value\":\"" + id + "\"}").collect(Collectors.joining(",", "[", "]"));
    }

    /** The sign-in hook the SSO layer calls (admin-guide, "JIT provisioning (sign-in hook)"). */
    Response signIn(Map<String, Object> signIn) {
        return admin().body(signIn).post("/connections/{c}/sign-ins", connection);
    }

    /** The admin API's list of an organization's members; {@link #member} picks one out. */
    static ValidatableResponse members(String org) {
        return admin().queryParam("count", 100).get("/organizations/{o}/members", org).then().statusCode(200);
    }

    /** A GPath to the member with this email (the member's userName) in {@link #members}. */
    static String member(String email) {
        return "members.find { it.email == '" + email + "' }";
    }

    /**
     * Waits for the member's state and role in the organization (group placements reach membership-service
     * through {@code group.placements}, a moment after the group write).
     */
    void awaitMember(String org, String email, String state, String role) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> members(org)
                .body(member(email) + ".state", equalTo(state)).body(member(email) + ".role", equalTo(role)));
    }

    void awaitNotMember(String org, String email) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> members(org)
                .body("members.email", not(hasItem(email))));
    }

    /** The team view: members from groups and from placements, each with its sources (docs/groups.md). */
    ValidatableResponse team(String org, String team) {
        return admin().get("/organizations/{o}/teams/{t}/members", org, team).then().statusCode(200);
    }
}
