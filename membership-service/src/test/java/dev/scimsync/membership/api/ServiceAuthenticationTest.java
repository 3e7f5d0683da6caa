package dev.scimsync.membership.api;

import static io.restassured.RestAssured.given;

import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.InternalApiAuthenticationContract;
import dev.scimsync.testsupport.TestServiceTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** membership-service's internal API answers only the services that call it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class ServiceAuthenticationTest extends InternalApiAuthenticationContract {

    ServiceAuthenticationTest() {
        super("membership-service", "group-sync-service");
    }

    @Override
    protected String adminPath() {
        return "/internal/v1/admin/organizations/test-org";
    }

    @Test
    void aScimTokenIsNotIssuedToAnUnauthenticatedCaller() {
        given().noFilters().contentType("application/json").body("{}")
                .post("/internal/v1/admin/connections/test-sso/scim-tokens").then().statusCode(401);
    }

    @Test
    void groupSyncMayReadConnectionsAndTeamsButNotIssueScimTokens() {
        String groupSync = TestServiceTokens.authorization("group-sync-service", "membership-service");
        given().noFilters().header("Authorization", groupSync).get("/internal/v1/connections/test-sso").then()
                .statusCode(200);
        given().noFilters().header("Authorization", groupSync).get("/internal/v1/organizations/test-org/teams").then()
                .statusCode(200);
        given().noFilters().header("Authorization", groupSync).contentType("application/json").body("{}")
                .post("/internal/v1/admin/connections/test-sso/scim-tokens").then().statusCode(403);
    }

    @Test
    void onlyTheGatewayChecksScimTokens() {
        given().noFilters().header("Authorization", TestServiceTokens.authorization("group-sync-service",
                "membership-service")).contentType("application/json").body("{\"token\":\"scim_x_y\"}")
                .post("/internal/v1/scim-tokens/verify").then().statusCode(403);
    }

    /** Lookups of many connections at once are the gateway's alone: it vouches for each connection it names. */
    @Test
    void onlyTheGatewayLooksUpUserNamesOfManyConnections() {
        String body = "{\"lookups\":[{\"connectionId\":\"" + java.util.UUID.randomUUID() + "\",\"userName\":\"a\"}]}";
        given().noFilters().contentType("application/json").body(body).post("/internal/v1/user-name-lookups").then()
                .statusCode(401);
        given().noFilters().header("Authorization", TestServiceTokens.authorization("group-sync-service",
                "membership-service")).contentType("application/json").body(body)
                .post("/internal/v1/user-name-lookups").then().statusCode(403);
        given().noFilters().header("Authorization", TestServiceTokens.authorization("scim-gateway",
                "membership-service")).contentType("application/json").body(body)
                .post("/internal/v1/user-name-lookups").then().statusCode(200);
    }
}
