package dev.scimsync.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Failed authentication is throttled through the gateway, per client address (SCIM, admin API and console
 * sign-in), per SCIM token id and per scoped admin token id. The gateway trusts the test client as a proxy here,
 * so each test speaks from addresses of its own (X-Forwarded-For); {@link UntrustedForwardedForTest} checks that
 * nobody else can choose their address that way.
 */
@QuarkusTest
@TestProfile(FailedAuthenticationThrottleTest.ThreeFailures.class)
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class FailedAuthenticationThrottleTest {

    static final String ADMIN_TOKEN = "test-admin-token";
    private static final String SCIM = "application/scim+json";

    public static class ThreeFailures implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scim.auth-failures.enabled", "true", "scim.auth-failures.max-failures", "3",
                    "scim.auth-failures.window", "1m", "scim.auth-failures.block", "1m",
                    "scim.rate-limit.refusal-delay", "0s",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1,0:0:0:0:0:0:0:1");
        }
    }

    static Response scim(String from, String token) {
        return given().header("X-Forwarded-For", from).header("Authorization", "Bearer " + token)
                .get("/scim/v2/Users?count=1");
    }

    private static Response admin(String from, String token) {
        return given().header("X-Forwarded-For", from).header("Authorization", "Bearer " + token)
                .get("/admin/v1/organizations/test-org");
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedEvenWithAValidTokenAndOthersAreNot() {
        for (int i = 0; i < 3; i++) {
            scim("198.51.100.1", "guess-" + i).then().statusCode(401);
        }

        Response blocked = scim("198.51.100.1", GatewayTestInfrastructure.TOKEN);
        assertEquals(429, blocked.statusCode(), "a valid token from a blocked address is refused");
        assertTrue(blocked.contentType().startsWith(SCIM), blocked.contentType());
        assertEquals("429", blocked.jsonPath().getString("status"));
        assertTrue(blocked.jsonPath().getString("detail").contains("too many failed authentications"));
        int retryAfter = Integer.parseInt(blocked.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);

        // Another address is not affected, and its success does not lift the block.
        scim("198.51.100.2", GatewayTestInfrastructure.TOKEN).then().statusCode(200);
        scim("198.51.100.1", GatewayTestInfrastructure.TOKEN).then().statusCode(429);
        // The admin API and the console count the same address: it is refused there too.
        admin("198.51.100.1", ADMIN_TOKEN).then().statusCode(429);
    }

    @Test
    void wrongSecretsForATokenIdBlockThatIdButNotTheRightSecretNorTheSendersAddresses() {
        String wrongSecret = GatewayTestInfrastructure.OTHER_TOKEN.replace("good-secret", "bad-secret");
        for (int i = 0; i < 3; i++) {
            scim("198.51.100.1" + i, wrongSecret).then().statusCode(401);
        }

        Response blocked = scim("198.51.100.20", wrongSecret);
        assertEquals(429, blocked.statusCode());
        assertTrue(blocked.contentType().startsWith(SCIM));
        assertTrue(blocked.jsonPath().getString("detail").contains("cccccccccccc"), blocked.asString());
        assertTrue(Integer.parseInt(blocked.header("Retry-After")) > 0);
        // The token id is public: its right secret still works, or anyone who saw the id could lock the IdP out.
        scim("198.51.100.21", GatewayTestInfrastructure.OTHER_TOKEN).then().statusCode(200);
        // A known id's failures (a stale or mistyped token of a tenant) do not count against the sender's
        // address, which other tenants' IdPs may share.
        scim("198.51.100.10", GatewayTestInfrastructure.TOKEN).then().statusCode(200);
    }

    @Test
    void theAdminApiBlocksAnAddressThatKeepsSendingWrongTokens() {
        for (int i = 0; i < 3; i++) {
            admin("203.0.113.1", "guess-" + i).then().statusCode(401);
        }

        Response blocked = admin("203.0.113.1", ADMIN_TOKEN);
        assertEquals(429, blocked.statusCode());
        assertTrue(blocked.contentType().startsWith("application/json"), blocked.contentType());
        assertEquals(429, blocked.jsonPath().getInt("status"));
        assertTrue(Integer.parseInt(blocked.header("Retry-After")) > 0);
        admin("203.0.113.2", ADMIN_TOKEN).then().statusCode(200);
        // Nor does the operator's success elsewhere lift the block.
        admin("203.0.113.1", ADMIN_TOKEN).then().statusCode(429);
    }

    @Test
    void wrongSecretsForAScopedAdminTokenIdBlockThatIdFromEveryAddressButNotItsRightSecret() {
        String wrongSecret = GatewayTestInfrastructure.SCOPED_TOKEN.replace("scoped-secret", "guessed-secret");
        for (int i = 0; i < 3; i++) {
            admin("203.0.113.10" + i, wrongSecret).then().statusCode(401);
        }

        Response blocked = admin("203.0.113.110", wrongSecret);
        assertEquals(429, blocked.statusCode(), "a fresh address guessing the same id is refused");
        assertEquals(429, blocked.jsonPath().getInt("status"));
        assertTrue(blocked.jsonPath().getString("detail").contains("admin token id"), blocked.asString());
        assertTrue(Integer.parseInt(blocked.header("Retry-After")) > 0);
        signIn("203.0.113.111", wrongSecret).then().statusCode(429)
                .body(containsString("Too many failed sign-ins with this admin token id"));
        // The id is public: its right secret still works, through the API and the console.
        admin("203.0.113.112", GatewayTestInfrastructure.SCOPED_TOKEN).then().statusCode(200);
        assertEquals(303, signIn("203.0.113.113", GatewayTestInfrastructure.SCOPED_TOKEN).statusCode());
    }

    @Test
    void consoleSignInBlocksAnAddressThatKeepsSendingWrongTokens() {
        for (int i = 0; i < 3; i++) {
            signIn("203.0.113.50", "guess-" + i).then().statusCode(401);
        }

        Response blocked = signIn("203.0.113.50", ADMIN_TOKEN);
        assertEquals(429, blocked.statusCode(), "the right token from a blocked address does not sign in");
        assertTrue(Integer.parseInt(blocked.header("Retry-After")) > 0);
        blocked.then().contentType(containsString("text/html")).body(containsString("Too many failed sign-ins"));
        assertEquals(null, blocked.getCookie("scimsync_console"));
        assertEquals(303, signIn("203.0.113.51", ADMIN_TOKEN).statusCode());
    }

    private static Response signIn(String from, String token) {
        Response form = given().header("X-Forwarded-For", from).get("/console/sign-in");
        Matcher value = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(value.find());
        return given().header("X-Forwarded-For", from).redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", value.group(1)).formParam("token", token).post("/console/sign-in");
    }
}
