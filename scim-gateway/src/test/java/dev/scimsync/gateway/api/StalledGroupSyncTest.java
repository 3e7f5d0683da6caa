package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.groupsync.UserGroups;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A group-sync-service that stops answering users' groups lookups: users are still shown (without groups), the
 * gateway does not pile calls up behind it and stops calling it for a while, and once it answers again a read shows
 * groups - no call it left unanswered keeps holding the gateway's connections to it.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class StalledGroupSyncTest {

    /** Longer than any timeout of the gateway's: held calls are answered only after it has given them up. */
    private static final long STALL_MILLIS = 15_000;
    /** More reads at once than the gateway keeps connections to group-sync-service for users' groups. */
    private static final int READS = 80;

    @TestHTTPResource("/scim/v2/Users/")
    URL users;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    private static void stall(long millis) {
        given().contentType("application/json").body("{\"millis\":" + millis + "}").post(GatewayTestInfrastructure.groupSyncUrl() + "/fake/stall")
                .then().statusCode(200);
    }

    @AfterEach
    void answerAgain() {
        stall(0);
    }

    /** The id of the resource created by that body at {@code /scim/v2/{resource}}. */
    private static String create(String resource, String body) {
        return given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN)
                .contentType("application/scim+json").body(body).post("/scim/v2/" + resource).then().statusCode(201)
                .extract().path("id");
    }

    /** The ids of the user's groups, none when it is shown without them. */
    private List<Object> groupsShown(String userId) {
        List<Object> groups = JsonPath.from(given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN)
                .get(users + userId).then().statusCode(200).extract().asString()).getList("groups.value");
        return groups == null ? List.of() : groups;
    }

    @Test
    void usersStayReadableWithoutGroupsAndGroupSyncIsAskedAgainOnceItAnswers() throws Exception {
        String ada = create("Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"stalled-ada@example.com\"}");
        String group = create("Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                + "\"displayName\":\"Stalled\",\"members\":[{\"value\":\"" + ada + "\"}]}");
        assertEquals(List.of(group), groupsShown(ada));

        stall(STALL_MILLIS);
        int lookupsBefore = GatewayTestInfrastructure.groupsLookups().size();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest read = HttpRequest.newBuilder(URI.create(users + ada))
                .header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN).timeout(Duration.ofSeconds(30))
                .build();
        List<CompletableFuture<HttpResponse<String>>> reads = IntStream.range(0, READS)
                .mapToObj(i -> client.sendAsync(read, HttpResponse.BodyHandlers.ofString())).toList();
        for (CompletableFuture<HttpResponse<String>> answer : reads) {
            HttpResponse<String> response = answer.get();
            assertEquals(200, response.statusCode(), response.body());
            assertNull(JsonPath.from(response.body()).get("groups"), "shown without groups: " + response.body());
        }
        int asked = GatewayTestInfrastructure.groupsLookups().size() - lookupsBefore;
        assertTrue(asked <= UserGroups.CALLS_AT_ONCE, asked + " groups lookups sent to a group-sync-service that "
                + "answered none: past the limit, users are shown without groups at once");

        // Most calls failed: for a while no read calls it at all.
        assertEquals(CircuitBreakerState.OPEN, circuitBreakers.currentState(UserGroups.GUARD));
        assertEquals(List.of(), groupsShown(ada));
        assertEquals(lookupsBefore + asked, GatewayTestInfrastructure.groupsLookups().size(),
                "a read while the circuit breaker is open asks nothing");

        // The calls it holds stay held for seconds more; once it answers, the next try after the pause shows groups.
        stall(0);
        Awaitility.await().atMost(ConfigProvider.getConfig().getValue("scim.user-groups-pause", Duration.class)
                .plusSeconds(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> List.of(group).equals(groupsShown(ada)));
        assertEquals(CircuitBreakerState.CLOSED, circuitBreakers.currentState(UserGroups.GUARD));
    }
}
