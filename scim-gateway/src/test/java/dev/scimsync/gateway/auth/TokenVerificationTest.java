package dev.scimsync.gateway.auth;

import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.ScimCredential;
import dev.scimsync.contracts.Topics;
import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import dev.scimsync.testsupport.KafkaTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SCIM tokens verified from scim.credentials, on the real broker: records are published here as
 * membership-service's outbox publishes them (its own tests show its triggers and relay writing them), and the
 * gateway must act on each within a second of the record being on the topic - without asking
 * membership-service, except for a token it has not seen yet.
 */
@QuarkusTest
@TestProfile(TokenVerificationTest.FrequentUseReports.class)
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenVerificationTest {

    public static class FrequentUseReports implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scim.token-usage.report-interval", "1s");
        }
    }

    private static final String CONNECTION_ID = "5b0c3c2e-8f5e-4c55-9d55-2f1f3f0d6a11";

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Inject
    MeterRegistry meters;

    private static String newToken() {
        byte[] id = new byte[6];
        ThreadLocalRandom.current().nextBytes(id);
        return "scim_" + HexFormat.of().formatHex(id) + "_secret-" + System.nanoTime() + "-0123456789";
    }

    private static int status(String token) {
        return given().header("Authorization", "Bearer " + token).get("/scim/v2/ServiceProviderConfig").statusCode();
    }

    /** As membership-service's outbox does: keyed by token id, acknowledged by the broker (so on the topic). */
    private void publish(ScimCredential credential) {
        kafka.send(Topics.SCIM_CREDENTIALS, credential.tokenId(), credential);
    }

    private double verifications(String source) {
        return meters.counter("scim.token.verifications", "source", source).count();
    }

    @Test
    @Order(1)
    void aRevokedTokenIsRefusedWithinASecondOfItsRecord() {
        String token = newToken();
        ScimCredential live = GatewayTestInfrastructure.credential(token, CONNECTION_ID, "test-sso", true);
        publish(live);
        await().atMost(10, SECONDS).until(() -> status(token) == 200);
        int checks = GatewayTestInfrastructure.TOKEN_CHECKS.get();

        publish(new ScimCredential(live.tokenId(), CONNECTION_ID, "test-sso", null, null, true, true));
        await().atMost(1, SECONDS).pollInterval(10, MILLISECONDS).until(() -> status(token) == 401);

        assertEquals(checks, GatewayTestInfrastructure.TOKEN_CHECKS.get(), "refused from memory: no call");
        given().header("Authorization", "Bearer " + token).get("/scim/v2/ServiceProviderConfig").then()
                .statusCode(401).body("detail", containsString("not valid"));
    }

    @Test
    @Order(2)
    void scimSwitchedOffIsRefusedWithinASecondAndOnAgainWorksAgain() {
        String token = newToken();
        publish(GatewayTestInfrastructure.credential(token, CONNECTION_ID, "test-sso", true));
        await().atMost(10, SECONDS).until(() -> status(token) == 200);

        publish(GatewayTestInfrastructure.credential(token, CONNECTION_ID, "test-sso", false));
        await().atMost(1, SECONDS).pollInterval(10, MILLISECONDS).until(() -> status(token) == 403);
        given().header("Authorization", "Bearer " + token).get("/scim/v2/ServiceProviderConfig").then()
                .statusCode(403).body("detail", containsString("SCIM is not enabled for connection 'test-sso'"));

        publish(GatewayTestInfrastructure.credential(token, CONNECTION_ID, "test-sso", true));
        await().atMost(1, SECONDS).pollInterval(10, MILLISECONDS).until(() -> status(token) == 200);
    }

    @Test
    @Order(3)
    void tokensOnTheTopicAreVerifiedWithoutAskingMembershipService() {
        int checks = GatewayTestInfrastructure.TOKEN_CHECKS.get();
        double fromCache = verifications("cache");
        double fromMembership = verifications("membership");

        for (int i = 0; i < 5; i++) {
            assertEquals(200, status(GatewayTestInfrastructure.TOKEN));
        }
        assertEquals(401, status(GatewayTestInfrastructure.TOKEN.replace("good-secret", "bad-secret")),
                "a wrong secret for a known id is refused from memory too");

        assertEquals(checks, GatewayTestInfrastructure.TOKEN_CHECKS.get());
        assertEquals(fromCache + 6, verifications("cache"));
        assertEquals(fromMembership, verifications("membership"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("scim_token_verifications_total{source=\"cache\"}"));
    }

    @Test
    @Order(4)
    void aTokenIssuedAMomentAgoWorksAtOnceAndMembershipServiceIsAskedOnce() {
        int checks = GatewayTestInfrastructure.TOKEN_CHECKS.get();
        double fromMembership = verifications("membership");

        assertEquals(200, status(GatewayTestInfrastructure.FRESH_TOKEN));
        assertEquals(200, status(GatewayTestInfrastructure.FRESH_TOKEN));
        assertEquals(200, status(GatewayTestInfrastructure.FRESH_TOKEN));
        assertEquals(401, status(GatewayTestInfrastructure.FRESH_TOKEN.replace("good-secret", "bad-secret")),
                "what membership-service verified is this secret only");

        assertEquals(checks + 1, GatewayTestInfrastructure.TOKEN_CHECKS.get());
        assertEquals(fromMembership + 1, verifications("membership"));
    }

    /**
     * A token's first request is often a write (an IdP's first Bulk right after the admin pasted the token): the
     * connection membership-service verified it for is the one the write is made for, however the verification
     * completed.
     */
    @Test
    @Order(4)
    void aTokenIssuedAMomentAgoWritesAtOnce() {
        int checks = GatewayTestInfrastructure.TOKEN_CHECKS.get();

        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.FRESH_CREATE_TOKEN)
                .contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"fresh-create\"}")
                .post("/scim/v2/Users").then().statusCode(201);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.FRESH_BULK_TOKEN)
                .contentType("application/scim+json")
                .body("""
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                          {"method":"POST","path":"/Users","bulkId":"b0","data":{
                            "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"fresh-bulk"}}]}""")
                .post("/scim/v2/Bulk").then().statusCode(200).body("Operations[0].status", org.hamcrest.Matchers
                        .equalTo("201"));

        assertEquals(checks + 2, GatewayTestInfrastructure.TOKEN_CHECKS.get(), "both verified by membership-service");
    }

    @Test
    @Order(5)
    void anIdUnknownToMembershipServiceIsRefusedAndNotAskedAgainAtOnce() {
        String unknown = newToken();
        int checks = GatewayTestInfrastructure.TOKEN_CHECKS.get();

        for (int i = 0; i < 5; i++) {
            assertEquals(401, status(unknown));
        }

        assertEquals(checks + 1, GatewayTestInfrastructure.TOKEN_CHECKS.get());
        assertEquals(401, status("not-a-scim-token"));
        assertEquals(checks + 1, GatewayTestInfrastructure.TOKEN_CHECKS.get(), "what is not a token is never asked");
    }

    @Test
    @Order(6)
    void acceptedTokensAreReportedInBatchesNotPerRequest() {
        GatewayTestInfrastructure.REPORTED_USE.clear();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, status(GatewayTestInfrastructure.OTHER_TOKEN));
        }
        await().atMost(5, SECONDS).until(() -> GatewayTestInfrastructure.REPORTED_USE.contains("cccccccccccc"));
        long reports = GatewayTestInfrastructure.REPORTED_USE.stream().filter("cccccccccccc"::equals).count();
        assertTrue(reports <= 2, reports + " reports of 20 uses within about a second");
    }

    @Test
    @Order(7)
    void theGatewayIsReadyOnlyOnceItHasReadTheCredentials() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("SCIM credentials read to the end"));
    }

    /** Last: it spends the fallback budget the tests above need. */
    @Test
    @Order(8)
    void randomIdsSprayedAtTheGatewayCostAtMostTheFallbackRate() {
        int checks = GatewayTestInfrastructure.TOKEN_CHECKS.get();
        long started = System.nanoTime();
        int unavailable = 0;
        for (int i = 0; i < 100; i++) {
            int status = status(newToken());
            assertTrue(status == 401 || status == 503, "answered " + status);
            if (status == 503) {
                unavailable++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        int asked = GatewayTestInfrastructure.TOKEN_CHECKS.get() - checks;
        assertTrue(asked <= 20 + Math.ceil(20 * seconds) + 1, asked + " calls in " + seconds
                + " s: more than the fallback burst plus 20/s");
        assertEquals(100 - asked, unavailable, "beyond the budget, 503 with Retry-After");
    }
}
