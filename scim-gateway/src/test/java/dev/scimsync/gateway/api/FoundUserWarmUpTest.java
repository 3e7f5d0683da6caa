package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first user the gateway creates is looked up in the background, found, and its groups asked - the path an IdP's
 * reads of existing users take after an initial sync - and no later user is (the other tests turn it off).
 */
@QuarkusTest
@TestProfile(FoundUserWarmUpTest.WarmUpOn.class)
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class FoundUserWarmUpTest {

    public static class WarmUpOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scim.found-user-warm-up.lookups", "5", "scim.found-user-warm-up.pause", "1ms");
        }
    }

    private static void create(String userName) {
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN)
                .contentType("application/scim+json")
                .body("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","active":true}
                        """.formatted(userName))
                .post("/scim/v2/Users").then().statusCode(201);
    }

    private static long lookupsOf(String userName) {
        return GatewayTestInfrastructure.LOOKED_UP_USER_NAMES.stream().filter(userName::equals).count();
    }

    @Test
    void theFirstCreatedUserIsLookedUpFoundAndItsGroupsAskedInTheBackgroundAndNoLaterOne() {
        int byIdBefore = GatewayTestInfrastructure.groupsLookups().size();
        int byNameBefore = GatewayTestInfrastructure.groupsByNameLookups().size();

        create("warm-up-first@example.com");

        await().atMost(Duration.ofSeconds(20)).until(() -> lookupsOf("warm-up-first@example.com") >= 5
                && GatewayTestInfrastructure.groupsLookups().size() + GatewayTestInfrastructure.groupsByNameLookups()
                        .size() >= byIdBefore + byNameBefore + 5);
        // Found each time, its groups asked both ways in turn: after the lookup by id, beside it by name.
        assertEquals(byIdBefore + 3, GatewayTestInfrastructure.groupsLookups().size());
        assertEquals(byNameBefore + 2, GatewayTestInfrastructure.groupsByNameLookups().size());

        create("warm-up-second@example.com");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> lookupsOf("warm-up-second@example.com") == 0);
        assertEquals(5, lookupsOf("warm-up-first@example.com"));
    }
}
