package dev.scimsync.membership.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.scimsync.testsupport.InfrastructureTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class ScimTokenVerificationResourceTest {

    @Test
    void theBootstrapTokenIdentifiesItsConnection() {
        given().contentType(ContentType.JSON).body(Map.of("token", "scim_0123456789ab_test-secret-0123456789abcdef"))
                .post("/internal/v1/scim-tokens/verify")
                .then().statusCode(200)
                .body("tokenId", equalTo("0123456789ab"))
                .body("connectionName", equalTo("test-sso"))
                .body("connectionId", notNullValue())
                .body("scimEnabled", equalTo(true));
    }

    @Test
    void aWrongSecretIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("token", "scim_0123456789ab_wrong-secret-0123456789abcdef"))
                .post("/internal/v1/scim-tokens/verify").then().statusCode(401);
    }

    @Test
    void anUnknownTokenIdIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("token", "scim_ffffffffffff_test-secret-0123456789abcdef"))
                .post("/internal/v1/scim-tokens/verify").then().statusCode(401);
    }

    @Test
    void somethingThatIsNotATokenIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("token", "hunter2"))
                .post("/internal/v1/scim-tokens/verify").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}")
                .post("/internal/v1/scim-tokens/verify").then().statusCode(401);
    }

    @Test
    void theBootstrapOrganizationIsServed() {
        given().get("/internal/v1/admin/organizations/test-org").then().statusCode(200)
                .body("name", equalTo("test-org"));
        given().get("/internal/v1/admin/organizations/no-such-org").then().statusCode(404);
    }

    @Test
    void readinessChecksKafkaAndPostgres() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems(
                        org.hamcrest.Matchers.containsString("Kafka connection"),
                        org.hamcrest.Matchers.containsString("Reactive PostgreSQL")));
    }

    @Test
    void unknownUserIdsAndMalformedIdsAreNotFound() {
        given().get("/internal/v1/connections/{c}/users/{id}", java.util.UUID.randomUUID(), java.util.UUID.randomUUID())
                .then().statusCode(404);
        given().get("/internal/v1/connections/x/users/y").then().statusCode(404);
    }
}
