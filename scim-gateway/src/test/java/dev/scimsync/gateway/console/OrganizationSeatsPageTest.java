package dev.scimsync.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, "seats refused clearly": the organization's page shows its seat usage, and the operator changes its seat
 * limit there (a number, or empty for none), with the session's CSRF value like every console form; a limit below
 * the seats in use is saved and the notice says what it means. An organization's own admin sees the usage but no
 * form, and is refused the change ({@code AdminScope}: seat limits are the operator's). The fake membership-service
 * says test-org has 4 members, 3 of them active.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class OrganizationSeatsPageTest {

    private static final String PAGE = "/console/organizations/test-org/members";

    @Test
    void theOperatorSetsLowersAndRemovesTheSeatLimitFromTheOrganizationsPage() {
        String session = signIn("test-admin-token");
        String page = given().cookie("scimsync_console", session).get(PAGE).then().statusCode(200)
                .body(containsString("action=\"/console/organizations/test-org/seats\""))
                .body(containsString("3 active members, no seat limit (1 deactivated, holding none)"))
                .extract().asString();
        String csrf = csrf(page);

        given().redirects().follow(false).cookie("scimsync_console", session).contentType(ContentType.URLENC)
                .formParam("seats", "10").post("/console/organizations/test-org/seats").then().statusCode(403)
                .body(containsString("did not come from the console"));
        assertEquals(0, GatewayTestInfrastructure.TEST_ORG_SEAT_CHANGES.size(), "a form without its CSRF value is refused");

        assertEquals("Seat limit of test-org set to 10.", notice(setSeats(session, csrf, " 10 ")));
        given().cookie("scimsync_console", session).get(PAGE).then().statusCode(200)
                .body(containsString("3 of 10 seats used")).body(containsString("name=\"seats\" type=\"number\" min=\"0\" "
                        + "value=\"10\""));
        assertEquals("Seat limit of test-org set to 2. 3 seats are in use: nobody is removed, but new and re-activated "
                + "members are refused until 1 leave or are deactivated.", notice(setSeats(session, csrf, "2")));
        assertEquals("No seat limit for test-org now.", notice(setSeats(session, csrf, "")));

        Response notANumber = setSeats(session, csrf, "ten");
        assertTrue(decoded(notANumber).contains("error=seats must be a whole number"), notANumber.header("Location"));
        assertEquals(Arrays.asList(10, 2, null), GatewayTestInfrastructure.TEST_ORG_SEAT_CHANGES,
                "what the admin API was asked, in order; nothing for the refused forms");
    }

    @Test
    void anOrganizationsAdminSeesItsSeatsButMayNotChangeTheLimit() {
        String session = signIn(GatewayTestInfrastructure.SCOPED_TOKEN);
        String page = given().cookie("scimsync_console", session).get(PAGE).then().statusCode(200)
                .body(containsString("(1 deactivated, holding none)")).body(not(containsString("/console/organizations/test-org/seats")))
                .extract().asString();
        int changes = GatewayTestInfrastructure.TEST_ORG_SEAT_CHANGES.size();

        setSeats(session, csrf(page), "500").then().statusCode(403)
                .body(containsString("changing an organization's seat limit is the operator's"));
        assertEquals(changes, GatewayTestInfrastructure.TEST_ORG_SEAT_CHANGES.size());
    }

    private static Response setSeats(String session, String csrf, String seats) {
        return given().redirects().follow(false).cookie("scimsync_console", session).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("seats", seats).post("/console/organizations/test-org/seats");
    }

    private static String notice(Response redirected) {
        assertEquals(303, redirected.statusCode(), redirected.asString());
        String location = decoded(redirected);
        assertTrue(location.startsWith(PAGE + "?notice="), location);
        return location.substring((PAGE + "?notice=").length());
    }

    /** The redirect's target within the console, decoded. */
    private static String decoded(Response redirected) {
        String location = URLDecoder.decode(redirected.header("Location"), StandardCharsets.UTF_8);
        return location.substring(location.indexOf("/console/"));
    }

    private static String signIn(String token) {
        Response form = given().get("/console/sign-in");
        Matcher formValue = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(formValue.find(), "the sign-in form");
        Response signedIn = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", formValue.group(1)).formParam("token", token).post("/console/sign-in");
        assertEquals(303, signedIn.statusCode());
        return signedIn.getCookie("scimsync_console");
    }

    private static String csrf(String page) {
        Matcher matcher = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(matcher.find(), "the page's forms carry the CSRF value");
        return matcher.group(1);
    }
}
