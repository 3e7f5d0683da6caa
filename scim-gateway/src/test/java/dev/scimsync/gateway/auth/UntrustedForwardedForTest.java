package dev.scimsync.gateway.auth;

import static io.restassured.RestAssured.given;

import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without a trusted proxy configured (the default), X-Forwarded-For is not the client's address: a client that
 * writes a new one on every guess is still counted, and blocked, as the address it connects from.
 */
@QuarkusTest
@TestProfile(UntrustedForwardedForTest.ThreeFailuresNoProxy.class)
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class UntrustedForwardedForTest {

    public static class ThreeFailuresNoProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scim.auth-failures.enabled", "true", "scim.auth-failures.max-failures", "3",
                    "scim.rate-limit.refusal-delay", "0s");
        }
    }

    @Test
    void aForgedForwardedForDoesNotDodgeTheBlock() {
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "192.0.2." + i).header("Authorization", "Bearer guess-" + i)
                    .get("/scim/v2/Users").then().statusCode(401);
        }
        given().header("X-Forwarded-For", "192.0.2.99")
                .header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN)
                .get("/scim/v2/Users").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }
}
