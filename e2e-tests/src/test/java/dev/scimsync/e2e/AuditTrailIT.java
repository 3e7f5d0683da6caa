package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.PATCH_OP;
import static dev.scimsync.e2e.ScimClient.scim;
import static dev.scimsync.e2e.ScimClient.uniquePrefix;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.stack.LocalStack;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "Who changed what, when, from which IdP request, and did it work?" - answered through the admin API. */
class AuditTrailIT {

    private static RequestSpecification admin() {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        return given().baseUri(endpoints.adminBaseUrl()).header("Authorization", "Bearer " + endpoints.adminToken());
    }

    @Test
    void aUserLifecycleLeavesAVerifiableTrail() throws Exception {
        String userName = uniquePrefix("audit") + "lee@example.com";
        Instant start = Instant.now().minusSeconds(1);
        String id = scim().header("X-Request-Id", "okta-req-9").header("User-Agent", "Okta SCIM Client")
                .body("{\"schemas\":[\"%s\"],\"userName\":\"%s\"}".formatted(CORE_USER, userName)).post("/Users")
                .then().statusCode(201).extract().path("id");
        scim().body("{\"schemas\":[\"%s\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}"
                .formatted(PATCH_OP)).patch("/Users/{id}", id).then().statusCode(200);
        scim().delete("/Users/{id}", id).then().statusCode(204);

        Response trail = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            trail = admin().get("/audit/records?user=" + userName + "&limit=50");
            if (trail.jsonPath().getList("records").size() >= 5) {
                break;
            }
            Thread.sleep(250);
        }
        List<String> actions = trail.jsonPath().getList("records.action");
        assertTrue(actions.containsAll(List.of("user.create", "user.replace", "outcome")), actions.toString());
        trail.then().body("records.find { it.action == 'user.create' }.requestId", equalTo("okta-req-9"))
                .body("records.find { it.action == 'user.create' }.userAgent", equalTo("Okta SCIM Client"));
        String connection = trail.path("records[0].connectionId");

        admin().get("/audit/verify?connection=" + connection).then().statusCode(200).body("intact", equalTo(true));
        String exported = admin().get("/audit/export?format=ndjson&connection=" + connection + "&from=" + start)
                .then().statusCode(200).extract().asString();
        long lines = exported.lines().filter(line -> line.contains(userName)).count();
        assertTrue(lines >= 5, "the export carries the trail: " + lines);
        String id0 = trail.path("records[0].id");
        admin().get("/audit/records/{id}", id0).then().statusCode(200).body("id", equalTo(id0));
        assertEquals(401, given().baseUri(SharedStack.endpoints().adminBaseUrl()).get("/audit/records").statusCode());
    }
}
