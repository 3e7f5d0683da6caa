package dev.scimsync.gateway.troubleshooting;

import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An IdP set up wrong, as the admin gets to see it: a User with an attribute and an extension the schemas do not
 * define is created all the same, and what was dropped reaches membership-service (played by
 * {@link GatewayTestInfrastructure}) in the gateway's next report; so do a wrong secret (for the token's
 * connection), a token id nobody issued and something that is not a token (for no connection). The console's
 * troubleshooting page shows what membership-service answers.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class MisconfigurationsTest {

    private static final String CONNECTION_ID = "5b0c3c2e-8f5e-4c55-9d55-2f1f3f0d6a11";
    private static final String EXTENSION = "urn:acme:scim:schemas:1.0:User";
    private static final Pattern FORM_VALUE = Pattern.compile("name=\"form\" value=\"([^\"]+)\"");

    @Inject
    MeterRegistry meters;

    @Test
    void unknownAttributesAndFailedAuthenticationsAreReportedAndShown() {
        GatewayTestInfrastructure.TROUBLESHOOTING_REPORTS.clear();
        double wrongSecrets = failures(Misconfigurations.WRONG_SECRET);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).contentType("application/scim+json")
                .body("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],
                         "userName":"misconfigured@example.com","nickName2":"Ada",
                         "name":{"givenName":"Ada","maidenName":"Byron"},
                         "%s":{"costCenter":"42"}}
                        """.formatted(EXTENSION, EXTENSION))
                .post("/scim/v2/Users").then().statusCode(201);
        given().header("Authorization", "Bearer scim_aaaaaaaaaaaa_wrong-secret-0123456789abcdef")
                .get("/scim/v2/Users").then().statusCode(401);
        given().header("Authorization", "Bearer scim_012345abcdef_good-secret-0123456789abcdef")
                .get("/scim/v2/Users").then().statusCode(401);
        given().header("Authorization", "Bearer hunter2").get("/scim/v2/Users").then().statusCode(401);

        await().atMost(10, SECONDS).until(() -> reported().unknownAttributes().size() == 3
                && !reported().failedAuthentications().isEmpty() && reported().unattributed().size() == 2);
        TroubleshootingReport reported = reported();
        assertEquals(java.util.Set.of(
                        new Seen("User", "nickName2", TroubleshootingReport.ATTRIBUTE),
                        new Seen("User", "name.maidenName", TroubleshootingReport.ATTRIBUTE),
                        new Seen("User", EXTENSION, TroubleshootingReport.EXTENSION)),
                reported.unknownAttributes().stream().map(u -> new Seen(u.resourceType(), u.name(), u.kind()))
                        .collect(java.util.stream.Collectors.toSet()));
        assertTrue(reported.unknownAttributes().stream().allMatch(u -> u.connectionId().equals(CONNECTION_ID)
                && u.count() == 1 && u.firstSeen() != null && u.lastSeen() != null));
        assertEquals(List.of(CONNECTION_ID + " aaaaaaaaaaaa 1"), reported.failedAuthentications().stream()
                .map(t -> t.connectionId() + " " + t.tokenId() + " " + t.count()).toList());
        assertEquals(List.of(TroubleshootingReport.MALFORMED, TroubleshootingReport.UNKNOWN_TOKEN),
                reported.unattributed().stream().map(TroubleshootingReport.UnattributedFailures::reason).sorted()
                        .toList());
        assertEquals(wrongSecrets + 1, failures(Misconfigurations.WRONG_SECRET));

        given().cookie("scimsync_console", signIn()).get("/console/connections/test-sso/troubleshooting").then()
                .statusCode(200)
                .body(containsString("name.maidenName"))
                .body(containsString("remove the mapping of " + EXTENSION))
                .body(containsString("aaaaaaaaaaaa"))
                .body(containsString("fix the IdP&#39;s token (unknown-token)"));
    }

    private record Seen(String resourceType, String name, String kind) {
    }

    @Test
    void requestsOfAConnectionWithScimOffAreReportedWithTheResourceEachNames() {
        String disabledConnection = "9e8d7c6b-5a49-4382-9170-f1e2d3c4b5a6";
        String user = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        double patches = meters.get("scim.refused.while.off").tag("method", "PATCH").counter().count();
        var disabled = given().header("Authorization", "Bearer " + GatewayTestInfrastructure.DISABLED_TOKEN)
                .contentType("application/scim+json");
        disabled.body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":false}]}
                """).patch("/scim/v2/Users/" + user).then().statusCode(403)
                .body(containsString("SCIM is not enabled for connection 'disabled-sso'"));
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.DISABLED_TOKEN)
                .delete("/scim/v2/Users/" + user).then().statusCode(403);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.DISABLED_TOKEN)
                .get("/scim/v2/Users?filter=userName eq \"pat@example.com\"").then().statusCode(403);

        await().atMost(10, SECONDS).until(() -> refusedOf(disabledConnection).size() == 3);
        assertEquals(java.util.Set.of("PATCH User " + user, "DELETE User " + user, "GET User null"),
                refusedOf(disabledConnection).stream().map(r -> r.method() + " " + r.resourceType() + " "
                        + r.resourceId()).collect(java.util.stream.Collectors.toSet()));
        assertTrue(refusedOf(disabledConnection).stream().allMatch(r -> r.count() == 1 && r.firstSeen() != null));
        assertEquals(patches + 1, meters.get("scim.refused.while.off").tag("method", "PATCH").counter().count());
    }

    @Test
    void aPathNamesAUserOrAGroupOnlyWithAnIdAReportCanCarry() {
        assertEquals(new Misconfigurations.Target("User", "abc"), Misconfigurations.Target.of("/scim/v2/Users/abc"));
        assertEquals(new Misconfigurations.Target("Group", "g-1"), Misconfigurations.Target.of("/scim/v2/Groups/g-1"));
        assertEquals(new Misconfigurations.Target("User", null), Misconfigurations.Target.of("/scim/v2/Users"));
        assertEquals(new Misconfigurations.Target("User", null), Misconfigurations.Target.of("/scim/v2/Users/.search"));
        assertEquals(new Misconfigurations.Target("User", null), Misconfigurations.Target.of("/scim/v2/Users/a/b"));
        assertEquals(new Misconfigurations.Target("User", null),
                Misconfigurations.Target.of("/scim/v2/Users/" + "x".repeat(65)));
        assertEquals(new Misconfigurations.Target("User", null), Misconfigurations.Target.of("/scim/v2/Users/a\u0000b"),
                "PostgreSQL stores no U+0000: a report carrying one would be refused whole");
        assertEquals(new Misconfigurations.Target("User", null), Misconfigurations.Target.of("/scim/v2/Users/"));
        assertEquals(new Misconfigurations.Target(null, null), Misconfigurations.Target.of("/scim/v2/Schemas/x"));
        assertEquals(new Misconfigurations.Target(null, null), Misconfigurations.Target.of("/scim/v2/Bulk"));
    }

    private static List<TroubleshootingReport.RefusedWhileScimOff> refusedOf(String connectionId) {
        return GatewayTestInfrastructure.TROUBLESHOOTING_REPORTS.stream().flatMap(r -> r.refusedWhileScimOff().stream())
                .filter(r -> r.connectionId().equals(connectionId)).toList();
    }

    /** What the reports sent so far say about this test's requests (other tests' share the fake). */
    private static TroubleshootingReport reported() {
        var reports = GatewayTestInfrastructure.TROUBLESHOOTING_REPORTS;
        return new TroubleshootingReport(
                reports.stream().flatMap(r -> r.unknownAttributes().stream())
                        .filter(u -> List.of("nickName2", "name.maidenName", EXTENSION).contains(u.name())).toList(),
                reports.stream().flatMap(r -> r.failedAuthentications().stream())
                        .filter(t -> t.tokenId().equals("aaaaaaaaaaaa")).toList(),
                reports.stream().flatMap(r -> r.unattributed().stream())
                        .filter(u -> !u.reason().equals(TroubleshootingReport.MISSING)).toList(),
                List.of());
    }

    private double failures(String reason) {
        return meters.get("scim.authentication.failures").tag("reason", reason).counter().count();
    }

    /** Signs in to the console with the operator's admin token; answers the session cookie. */
    private static String signIn() {
        Response form = given().get("/console/sign-in");
        Matcher value = FORM_VALUE.matcher(form.asString());
        assertTrue(value.find());
        Response signedIn = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", value.group(1)).formParam("token", "test-admin-token")
                .post("/console/sign-in");
        assertEquals(303, signedIn.statusCode());
        return signedIn.getCookie("scimsync_console");
    }
}
