package dev.scimsync.gateway.groupsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.api.GatewayTestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway makes its groups lookups as it starts, before any IdP reads a user (the other tests turn it off). */
@QuarkusTest
@TestProfile(GroupLookupWarmUpTest.WarmUpOn.class)
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class GroupLookupWarmUpTest {

    public static class WarmUpOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scim.group-lookup-warm-up.lookups", "5");
        }
    }

    @Test
    void theConfiguredLookupsAreMadeAsTheGatewayStarts() {
        // Nothing here reads a user: the lookups the fake has seen are the start-up's.
        await().atMost(Duration.ofSeconds(20)).until(() -> GatewayTestInfrastructure.groupsLookups().size() >= 5);
        List<String> lookups = GatewayTestInfrastructure.groupsLookups();
        assertEquals(5, lookups.size(), lookups.toString());
        lookups.forEach(lookup -> assertTrue(
                lookup.matches("POST /internal/v1/connections/[0-9a-f-]{36}/users/groups"), lookup));
    }
}
