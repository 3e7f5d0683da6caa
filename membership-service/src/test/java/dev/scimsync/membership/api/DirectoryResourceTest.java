package dev.scimsync.membership.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import dev.scimsync.testsupport.TestServiceTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The internal API group-sync-service relies on, against the real database. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class DirectoryResourceTest {

    private static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    /** An organization's direct teams are group-sync-service's to read. */
    private static RequestSpecification asGroupSync() {
        return json().header("Authorization", TestServiceTokens.authorization("group-sync-service", "membership-service"));
    }

    private static String tenant(String name) {
        json().body(Map.of("name", name)).post("/internal/v1/admin/organizations").then().statusCode(201);
        return json().body(Map.of("name", name + "-sso", "organizations", List.of(name), "defaultOrganization", name,
                        "scimEnabled", true))
                .post("/internal/v1/admin/connections").then().statusCode(201).extract().path("id");
    }

    private static CommandOutcome create(String connection, String email, boolean active, String team) {
        return KafkaTestClient.forQuarkusTest().apply(UserCommand.create(connection, new UserProfile(email, null, active,
                ContractJson.mapper().createObjectNode(), new Placement(null, null, team)), null));
    }

    @Test
    void findsConnectionsByIdOrNameWithTheirLinkedOrganizations() {
        String org = "dir" + UUID.randomUUID().toString().substring(0, 6);
        String connection = tenant(org);

        json().get("/internal/v1/connections/{c}", connection).then().statusCode(200)
                .body("name", equalTo(org + "-sso")).body("scimEnabled", equalTo(true))
                .body("organizations", contains(org));
        json().get("/internal/v1/connections/{c}", org + "-sso").then().statusCode(200).body("id", equalTo(connection));
        json().get("/internal/v1/connections/{c}", "missing-sso").then().statusCode(404);
    }

    @Test
    void looksUpWhichIdsAreUsersOfTheConnection() {
        String org = "look" + UUID.randomUUID().toString().substring(0, 6);
        String connection = tenant(org);
        String other = tenant(org + "x");
        CommandOutcome alice = create(connection, "alice@x.test", true, null);
        CommandOutcome bob = create(connection, "bob@x.test", false, null);
        CommandOutcome stranger = create(other, "carol@x.test", true, null);

        json().body(Map.of("ids", List.of(alice.user().id(), bob.user().id(), stranger.user().id(), "nope",
                        UUID.randomUUID().toString())))
                .post("/internal/v1/connections/{c}/users/lookup", connection)
                .then().statusCode(200)
                .body("id", containsInAnyOrder(alice.user().id(), bob.user().id()))
                .body("find { it.userName == 'bob@x.test' }.active", equalTo(false))
                .body("find { it.userName == 'alice@x.test' }.version", equalTo(1));
    }

    @Test
    void recordsOtherServicesProvisioningErrorsForTheConnection() {
        String org = "err" + UUID.randomUUID().toString().substring(0, 6);
        String connection = tenant(org);

        json().body(Map.of("commandId", UUID.randomUUID().toString(), "requestId", "req-1", "operation", "group create",
                        "subject", "Engineering", "reason", "UNMAPPED_GROUP", "detail", "not formatted",
                        "suggestedFix", "rename it"))
                .post("/internal/v1/connections/{c}/provisioning-errors", connection).then().statusCode(201);
        json().body(Map.of("detail", "x")).post("/internal/v1/connections/{c}/provisioning-errors", connection)
                .then().statusCode(400);

        json().get("/internal/v1/admin/connections/{c}/provisioning-errors", org + "-sso").then().statusCode(200)
                .body("[0].userName", equalTo("Engineering")).body("[0].reason", equalTo("UNMAPPED_GROUP"))
                .body("[0].operation", equalTo("group create")).body("[0].suggestedFix", equalTo("rename it"));
    }

    @Test
    void listsTeamsWithTheirActiveDirectMembers() {
        String org = "team" + UUID.randomUUID().toString().substring(0, 6);
        String connection = tenant(org);
        CommandOutcome dev = create(connection, "dev@x.test", true, "backend");
        create(connection, "gone@x.test", false, "backend");
        assertEquals(CommandOutcome.Status.APPLIED, dev.status());

        asGroupSync().get("/internal/v1/organizations/{o}/teams", org).then().statusCode(200)
                .body("name", contains("backend"))
                .body("[0].members.userName", contains("dev@x.test"))
                .body("[0].members[0].source", equalTo("attribute"))
                .body("[0].members[0].id", equalTo(dev.user().id()));
        asGroupSync().get("/internal/v1/organizations/{o}/teams", "no-such-org").then().statusCode(404);
        tenant(org + "e");
        asGroupSync().get("/internal/v1/organizations/{o}/teams", org + "e").then().statusCode(200).body("", empty());
    }
}
