package dev.scimsync.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 through the whole stack, as Okta does it: 60 users provisioned by SCIM, then 20 unassigned (each a
 * PATCH {@code active: false}). With the defaults (10 % of the connection's 60 members is 6; at least 5 pass) the
 * first 6 are applied and the other 14 are held: the IdP gets its 200 with {@code active: false} for every one,
 * while reads still show the held users active. An admin sees them in the console and approves them there; then
 * all 20 are deactivated, and the audit log has the guard's events.
 */
class MassDeprovisioningGuardIT {

    private static final int USERS = 60;
    private static final int UNASSIGNED = 20;

    private static String gateway() {
        return SharedStack.endpoints().adminBaseUrl().replace("/admin/v1", "");
    }

    private static RequestSpecification scim(String token) {
        return given().baseUri(SharedStack.endpoints().scimBaseUrl()).header("Authorization", "Bearer " + token)
                .contentType(ScimClient.SCIM);
    }

    @Test
    void anOktaUnassigningAThirdOfItsUsersIsHeldPastTheThresholdAndApprovedInTheConsole() throws Exception {
        String organization = "guard-" + UUID.randomUUID().toString().substring(0, 6);
        String token = NewTenant.scimToken(organization);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            ids.add(scim(token).body("{\"schemas\":[\"" + ScimClient.CORE_USER + "\"],\"userName\":\"u" + i + "@"
                    + organization + ".test\",\"active\":true}").post("/Users").then().statusCode(201)
                    .extract().path("id"));
        }

        for (String id : ids.subList(0, UNASSIGNED)) {
            scim(token).body("{\"schemas\":[\"" + ScimClient.PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\","
                    + "\"value\":{\"active\":false}}]}").patch("/Users/{id}", id).then().statusCode(200)
                    .body("active", equalTo(false));
        }

        List<Boolean> stored = ids.subList(0, UNASSIGNED).stream()
                .map(id -> scim(token).get("/Users/{id}", id).then().statusCode(200).extract().<Boolean>path("active"))
                .toList();
        assertEquals(6, stored.stream().filter(active -> !active).count(), "the first 6 applied: " + stored);
        assertTrue(stored.subList(6, UNASSIGNED).stream().allMatch(active -> active), "the other 14 held: " + stored);
        String connection = organization + "-sso";
        assertEquals(14, NewTenant.admin("GET", "/connections/" + connection + "/guard", null).path("held").asInt());

        String[] session = signedIn(SharedStack.endpoints().adminToken());
        given().baseUri(gateway()).cookie("scimsync_console", session[0])
                .get("/console/connections/{c}/held-changes", connection).then().statusCode(200)
                .body(containsString("<strong>14</strong> held now")).body(containsString("u6@" + organization))
                .body(containsString("Approve all 14"));
        Response approved = given().baseUri(gateway()).redirects().follow(false).cookie("scimsync_console", session[0])
                .contentType(ContentType.URLENC).formParam("csrf", session[1])
                .post("/console/connections/{c}/held-changes/approve", connection);
        assertEquals(303, approved.statusCode());
        assertTrue(java.net.URLDecoder.decode(approved.header("Location"), java.nio.charset.StandardCharsets.UTF_8)
                .contains("Approved: 14 applied"), approved.header("Location"));

        for (String id : ids.subList(0, UNASSIGNED)) {
            scim(token).get("/Users/{id}", id).then().statusCode(200).body("active", equalTo(false));
        }
        scim(token).get("/Users/{id}", ids.get(UNASSIGNED)).then().body("active", equalTo(true));
        String connectionId = NewTenant.admin("GET", "/connections/" + connection, null).path("id").asText();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(14, NewTenant.admin("GET",
                "/audit/records?connection=" + connectionId + "&action=dev.scimsync.membership.guard.approved.v1", null)
                .path("records").size(), "each approval is in the audit log"));
    }

    /** An operator's console session: its cookie and its CSRF value. */
    private static String[] signedIn(String token) {
        Response form = given().baseUri(gateway()).get("/console/sign-in");
        Matcher formValue = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(formValue.find(), "the sign-in form");
        String session = given().baseUri(gateway()).redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", formValue.group(1)).formParam("token", token).post("/console/sign-in")
                .getCookie("scimsync_console");
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(given().baseUri(gateway())
                .cookie("scimsync_console", session).get("/console/connections").asString());
        assertTrue(csrf.find(), "signed in, the console shows its pages");
        return new String[] {session, csrf.group(1)};
    }
}
