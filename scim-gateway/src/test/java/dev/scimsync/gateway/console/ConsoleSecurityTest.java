package dev.scimsync.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How the console signs admins in and guards its forms: the admin token is exchanged once for an HttpOnly,
 * SameSite=Strict cookie, every page needs that cookie, and every form needs the session's CSRF token.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class ConsoleSecurityTest {

    private static final String ADMIN_TOKEN = "test-admin-token";
    private static final Pattern FORM_VALUE = Pattern.compile("name=\"form\" value=\"([^\"]+)\"");

    /** Posts a token through the sign-in form like a browser: fetches the form and its cookie first. */
    private static Response postSignIn(String token) {
        Response form = given().get("/console/sign-in");
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", formValue(form.asString())).formParam("token", token)
                .post("/console/sign-in");
    }

    /** Signs in with the admin token; answers the session cookie. */
    private static String signIn() {
        Response signedIn = postSignIn(ADMIN_TOKEN);
        assertEquals(303, signedIn.statusCode());
        return signedIn.getCookie("scimsync_console");
    }

    private static String formValue(String page) {
        Matcher matcher = FORM_VALUE.matcher(page);
        assertTrue(matcher.find(), "the sign-in form carries its double-submit value");
        return matcher.group(1);
    }

    @Test
    void pagesNeedASignedInSessionAndSendTheBrowserToSignIn() {
        for (String page : new String[] {"/console", "/console/connections", "/console/audit", "/console/dead-letters",
                "/console/organizations/acme/members", "/console/connections/acme-sso/groups"}) {
            given().redirects().follow(false).get(page).then().statusCode(303)
                    .header("Location", containsString("/console/sign-in"));
        }
        given().redirects().follow(false).cookie("scimsync_console", "1.forged.cookie").get("/console/connections")
                .then().statusCode(303);
        given().get("/console/sign-in").then().statusCode(200).contentType(containsString("text/html"))
                .header("Cache-Control", "no-store").header("Content-Security-Policy", containsString("default-src 'none'"))
                .body(containsString("<label for=\"token\">Admin token</label>"));
    }

    @Test
    void theTokenBecomesAnHttpOnlyStrictSessionCookieAndNeverAppearsInAUrlOrTheCookie() {
        Response signedIn = postSignIn(ADMIN_TOKEN);

        assertEquals(303, signedIn.statusCode());
        assertFalse(signedIn.header("Location").contains(ADMIN_TOKEN));
        String setCookie = signedIn.getHeaders().getValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("scimsync_console=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertTrue(setCookie.contains("Path=/console"), setCookie);
        assertFalse(setCookie.contains(ADMIN_TOKEN), setCookie);
        String session = signedIn.getCookie("scimsync_console");
        assertNotNull(session);
        // With the session, pages are served: the connections the (fake) membership-service lists, and forms
        // that carry the session's CSRF token.
        given().redirects().follow(false).cookie("scimsync_console", session).get("/console/connections").then()
                .statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<h1>Connections</h1>"))
                .body(containsString("<a href=\"/console/connections/test-sso\">test-sso</a>"))
                .body(containsString("<a href=\"/console/connections/other-sso\">other-sso</a>"))
                .body(containsString("name=\"csrf\" value=\""));
    }

    @Test
    void aWrongTokenOrAFormFromElsewhereDoesNotSignIn() {
        postSignIn("guess").then().statusCode(401).body(containsString("not the admin token"))
                .header("Set-Cookie", not(containsString("scimsync_console=")));
        // A cross-site form has neither the form cookie (SameSite=Strict) nor its value.
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("token", ADMIN_TOKEN)
                .post("/console/sign-in").then().statusCode(403);
    }

    @Test
    void everyFormNeedsItsOwnSessionsCsrfToken() {
        String session = signIn();
        String otherSession = signIn();
        String otherCsrf = csrf(given().cookie("scimsync_console", otherSession).get("/console/connections").asString());

        given().redirects().follow(false).cookie("scimsync_console", session).contentType(ContentType.URLENC)
                .formParam("name", "evil").post("/console/organizations").then().statusCode(403)
                .body(containsString("did not come from the console"));
        given().redirects().follow(false).cookie("scimsync_console", session).contentType(ContentType.URLENC)
                .formParam("csrf", otherCsrf).post("/console/connections/acme-sso/tokens").then().statusCode(403);
        given().redirects().follow(false).cookie("scimsync_console", session).contentType(ContentType.URLENC)
                .formParam("csrf", otherCsrf).post("/console/sign-out").then().statusCode(403);

        Response signedOut = given().redirects().follow(false).cookie("scimsync_console", otherSession)
                .contentType(ContentType.URLENC).formParam("csrf", otherCsrf).post("/console/sign-out");
        assertEquals(303, signedOut.statusCode());
        assertEquals("", signedOut.getCookie("scimsync_console"), "signing out clears the cookie");
    }

    @Test
    void signingOutEndsTheSessionOnTheServerSoACopiedCookieNoLongerWorks() {
        String session = signIn();
        String copied = session;
        String csrf = csrf(given().cookie("scimsync_console", session).get("/console/connections").asString());

        given().redirects().follow(false).cookie("scimsync_console", session).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).post("/console/sign-out").then().statusCode(303);

        given().redirects().follow(false).cookie("scimsync_console", copied).get("/console/connections").then()
                .statusCode(303).header("Location", containsString("/console/sign-in"));
        given().redirects().follow(false).cookie("scimsync_console", copied).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("name", "evil").post("/console/organizations").then()
                .statusCode(303).header("Location", containsString("/console/sign-in"));
    }

    private static String csrf(String page) {
        Matcher matcher = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(matcher.find(), "signed-in pages carry the CSRF token in their forms");
        return matcher.group(1);
    }
}
