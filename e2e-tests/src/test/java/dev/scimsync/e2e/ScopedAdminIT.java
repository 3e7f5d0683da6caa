package dev.scimsync.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.stack.LocalStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An organization's admin token through the real stack: the operator issues it (shown once), its holder manages
 * its own organization and connection through the admin API and the console, gets 403 on another organization's
 * connections, members, audit log and console pages, is named {@code org:<org>/<id>} in the audit log, and is
 * refused (401, and its console session ended) once the operator revokes it.
 */
class ScopedAdminIT {

    private static RequestSpecification as(String token) {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON);
    }

    private static RequestSpecification operator() {
        return as(SharedStack.endpoints().adminToken());
    }

    private static String gateway() {
        return SharedStack.endpoints().adminBaseUrl().replace("/admin/v1", "");
    }

    @Test
    void aScopedTokenManagesItsOrganizationOnlyAndEndsWhenRevoked() {
        String own = "scoped-" + UUID.randomUUID().toString().substring(0, 6);
        String other = own + "-other";
        for (String org : List.of(own, other)) {
            operator().body(Map.of("name", org)).post("/organizations").then().statusCode(201);
            operator().body(Map.of("name", org + "-sso", "defaultOrganization", org, "scimEnabled", true))
                    .post("/connections").then().statusCode(201);
        }
        String otherConnectionId = operator().get("/connections/{c}", other + "-sso").then().extract().path("id");
        String ownConnectionId = operator().get("/connections/{c}", own + "-sso").then().extract().path("id");

        var issued = operator().body(Map.of("label", "tenant admin")).post("/organizations/{o}/admin-tokens", own)
                .then().statusCode(201).body("label", equalTo("tenant admin")).extract();
        String token = issued.path("token");
        String tokenId = issued.path("id");
        // Only the operator issues them, for any organization.
        as(token).post("/organizations/{o}/admin-tokens", own).then().statusCode(403);

        // Its own organization and connection: read, and written.
        as(token).get("/organizations/{o}", own).then().statusCode(200).body("name", equalTo(own));
        as(token).get("/organizations/{o}/members", own).then().statusCode(200);
        as(token).get("/connections").then().statusCode(200).body("name", contains(own + "-sso"));
        String scimToken = as(token).post("/connections/{c}/scim-tokens", own + "-sso").then().statusCode(201)
                .extract().path("token");
        assertTrue(scimToken.startsWith("scim_"));
        as(token).queryParam("connection", ownConnectionId).get("/audit/records").then().statusCode(200);

        // Another organization's connections, members and audit log: 403 with a reason.
        for (String path : List.of("/connections/" + other + "-sso", "/connections/" + other + "-sso/scim-tokens",
                "/organizations/" + other + "/members", "/organizations/" + other + "/teams",
                "/audit/records?connection=" + otherConnectionId, "/audit/verify?connection=" + otherConnectionId,
                "/dead-letters")) {
            as(token).get(path).then().statusCode(403).body("status", equalTo(403)).body("detail", notNullValue());
        }
        as(token).post("/connections/{c}/scim-tokens", other + "-sso").then().statusCode(403);

        // The audit log names it, not its token.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> operator().queryParam("connection", ownConnectionId)
                .queryParam("action", "admin.scim-token.issue").get("/audit/records").then().statusCode(200)
                .body("records.tokenId", contains("org:" + own + "/" + tokenId)));

        // The console: its organization's pages, not the other's.
        String session = signIn(token);
        String connections = console(session, "/console/connections").then().statusCode(200).extract().asString();
        assertTrue(connections.contains(own + "-sso") && !connections.contains(other + "-sso"));
        console(session, "/console/organizations/" + own + "/members").then().statusCode(200);
        for (String page : List.of("/console/organizations/" + other + "/members", "/console/connections/" + other
                + "-sso", "/console/audit?connection=" + other + "-sso", "/console/dead-letters")) {
            console(session, page).then().statusCode(403);
        }

        // Revoked: refused at once, on the API and in the console session opened with it.
        operator().delete("/organizations/{o}/admin-tokens/{id}", own, tokenId).then().statusCode(204);
        as(token).get("/organizations/{o}", own).then().statusCode(401);
        Response afterRevocation = console(session, "/console/connections");
        assertEquals(303, afterRevocation.statusCode());
        assertTrue(afterRevocation.header("Location").contains("/console/sign-in"));
        operator().get("/organizations/{o}/admin-tokens", own).then().statusCode(200)
                .body("id", contains(tokenId)).body("[0].revokedAt", notNullValue());
    }

    private static Response console(String session, String page) {
        return given().baseUri(gateway()).redirects().follow(false).cookie("scimsync_console", session).get(page);
    }

    private static String signIn(String token) {
        Response form = given().baseUri(gateway()).get("/console/sign-in");
        Matcher formValue = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(formValue.find(), "the sign-in form");
        Response signedIn = given().baseUri(gateway()).redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", formValue.group(1)).formParam("token", token).post("/console/sign-in");
        assertEquals(303, signedIn.statusCode(), "a scoped token signs in to the console");
        return signedIn.getCookie("scimsync_console");
    }
}
