package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, troubleshooting sees mis-configuration, across the real processes: the gateway counts what an IdP
 * sends that the schema does not know, the requests whose token is wrong and those of a connection whose SCIM is
 * off, reports the counts to
 * membership-service, and the connection's troubleshooting view (admin API) lists them with the fix.
 */
class TroubleshootingIT {

    private static final String ACME_EXTENSION = "urn:acme:params:scim:schemas:extension:acme:2.0:User";
    private static final String ENTRA_CUSTOM_ATTRIBUTE =
            "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter";

    @Test
    void anUnknownAttributeAndAWrongTokenSecretShowOnTheConnectionsTroubleshooting() throws Exception {
        String organization = "trbl-" + UUID.randomUUID().toString().substring(0, 6);
        String token = NewTenant.scimToken(organization);
        String scimBaseUrl = SharedStack.endpoints().scimBaseUrl();

        // The mapping sends an attribute and an extension this schema does not define: stored without them, and a
        // PATCH path naming one is dropped the same way.
        String id = given().baseUri(scimBaseUrl).header("Authorization", "Bearer " + token).contentType(SCIM)
                .body("{\"schemas\":[\"" + CORE_USER + "\",\"" + ACME_EXTENSION + "\"],\"userName\":\"pat@"
                        + organization + ".test\",\"nickName2\":\"P\",\"" + ACME_EXTENSION
                        + "\":{\"costCenter\":\"42\"}}")
                .post("/Users").then().statusCode(201).extract().path("id");
        // Entra ID sends the user's changes as one PATCH: its deactivation beside the custom attribute is applied.
        given().baseUri(scimBaseUrl).header("Authorization", "Bearer " + token).contentType(SCIM)
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                        + "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"},"
                        + "{\"op\":\"Add\",\"path\":\"" + ENTRA_CUSTOM_ATTRIBUTE + "\",\"value\":\"42\"}]}")
                .patch("/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));
        // The IdP holds an old secret of a live token.
        String tokenId = token.split("_")[1];
        String wrongSecret = token.substring(0, token.length() - 4) + "0000";
        given().baseUri(scimBaseUrl).header("Authorization", "Bearer " + wrongSecret).get("/Users").then()
                .statusCode(401).contentType(SCIM);

        var endpoints = SharedStack.endpoints();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON).get("/connections/{c}/troubleshooting", organization + "-sso").then()
                .statusCode(200)
                .body("unknownAttributes.name", hasItems("nickName2", ACME_EXTENSION, ENTRA_CUSTOM_ATTRIBUTE))
                .body("failedAuthentications[0].tokenId", equalTo(tokenId))
                .body("failedAuthentications[0].tokenState", equalTo("live"))
                .body("failedAuthentications[0].count", greaterThanOrEqualTo(1)));
    }

    /**
     * A deactivation sent while the connection's SCIM is off is refused (403) and not applied: the troubleshooting
     * view names the user, still active, with how to get the deactivation applied - the IdP only records a
     * failed task.
     */
    @Test
    void aDeactivationRefusedWhileScimIsOffNamesTheUserStillActive() throws Exception {
        String organization = "trboff-" + UUID.randomUUID().toString().substring(0, 6);
        String token = NewTenant.scimToken(organization);
        var endpoints = SharedStack.endpoints();
        String userName = "leaver@" + organization + ".test";
        String id = given().baseUri(endpoints.scimBaseUrl()).header("Authorization", "Bearer " + token)
                .contentType(SCIM).body("{\"schemas\":[\"" + CORE_USER + "\"],\"userName\":\"" + userName + "\"}")
                .post("/Users").then().statusCode(201).extract().path("id");
        given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON).body("{\"scimEnabled\":false}")
                .patch("/connections/{c}", organization + "-sso").then().statusCode(200);

        // The gateway learns of the switch from the credentials topic within a second or so; until it does,
        // membership-service refuses the command itself (403 too, listed with the provisioning errors).
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .baseUri(endpoints.scimBaseUrl()).header("Authorization", "Bearer " + token).contentType(SCIM)
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                        + "{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                .patch("/Users/{id}", id).then().statusCode(403).contentType(SCIM)
                .body("detail", containsString("enable it in the admin console")));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .contentType(ContentType.JSON).get("/connections/{c}/troubleshooting", organization + "-sso").then()
                .statusCode(200)
                .body("refusedWhileScimOff.find { it.method == 'PATCH' }.id", equalTo(id))
                .body("refusedWhileScimOff.find { it.method == 'PATCH' }.userName", equalTo(userName))
                .body("refusedWhileScimOff.find { it.method == 'PATCH' }.userActive", equalTo(true))
                .body("refusedWhileScimOff.find { it.method == 'PATCH' }.suggestedFix",
                        containsString(userName + " is still active here")));
        given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken())
                .get("/organizations/{o}/members?email={e}", organization, userName).then().statusCode(200)
                .body("members[0].state", equalTo("active"));
    }
}
