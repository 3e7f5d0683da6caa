package dev.scimsync.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.AdminAction;
import dev.scimsync.contracts.Topics;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Admin writes, as the gateway publishes them on admin.actions, land in the audit log: in the chain of the
 * connection they acted on, or of the admin pseudo-connection when they name none, with who, what, when and from
 * where; the chains verify, and the records are in the export.
 */
@QuarkusTest
@QuarkusTestResource(AuditTestInfrastructure.class)
class AdminActionsTest {

    private static final String ADMIN = "/internal/v1/admin/audit";

    private static AdminAction action(String action, String method, String path, String connectionName,
            String connectionId, String organization, int status, String requestId) {
        return new AdminAction(UUID.randomUUID(), Instant.now(), action, "operator", "api", method, path, null, null,
                connectionName, connectionId, organization, status, requestId, "198.51.100.7", "curl/8.5");
    }

    private static void publish(AdminAction action) {
        KafkaTestClient.forQuarkusTest().send(Topics.ADMIN_ACTIONS, action.chainKey(), action);
    }

    @Test
    void anAdminWriteJoinsItsConnectionsChainWithWhoWhatAndWhereAndTheChainVerifies() {
        String connection = "conn-" + UUID.randomUUID();
        AdminAction issued = action("admin.scim-token.issue", "POST", "connections/acme-sso/scim-tokens", "acme-sso",
                connection, null, 201, "req-issue-" + connection);
        AdminAction revoked = action("admin.scim-token.revoke", "DELETE",
                "connections/acme-sso/scim-tokens/0a1b2c3d4e5f", "acme-sso", connection, null, 204,
                "req-revoke-" + connection);
        publish(issued);
        publish(revoked);
        publish(revoked); // redelivered: recorded once

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get(ADMIN + "/records?connection=" + connection).then().statusCode(200).body("records", hasSize(2)));
        Response page = given().get(ADMIN + "/records?connection=" + connection);
        assertEquals(List.of("admin.scim-token.revoke", "admin.scim-token.issue"), page.jsonPath().getList("records.action"));
        page.then().body("records[0].kind", equalTo("admin"))
                .body("records[0].outcome", equalTo("204"))
                .body("records[0].tokenId", equalTo("operator"))
                .body("records[0].requestId", equalTo("req-revoke-" + connection))
                .body("records[0].clientAddress", equalTo("198.51.100.7"))
                .body("records[0].userAgent", equalTo("curl/8.5"))
                .body("records[0].payload.method", equalTo("DELETE"))
                .body("records[0].payload.path", equalTo("connections/acme-sso/scim-tokens/0a1b2c3d4e5f"))
                .body("records[0].payload.connectionName", equalTo("acme-sso"));
        given().get(ADMIN + "/records?connection=" + connection + "&action=admin.scim-token.issue").then()
                .body("records", hasSize(1)).body("records[0].outcome", equalTo("201"));

        given().get(ADMIN + "/verify?connection=" + connection).then().statusCode(200)
                .body("intact", equalTo(true)).body("records", equalTo(2));

        String ndjson = given().get(ADMIN + "/export?format=ndjson&connection=" + connection).asString();
        assertTrue(ndjson.contains("\"action\":\"admin.scim-token.revoke\"") && ndjson.contains("\"tokenId\":\"operator\""),
                ndjson);
        given().get(ADMIN + "/export?format=csv&connection=" + connection).then().statusCode(200)
                .body(containsString(",admin,admin.scim-token.issue,201,"))
                .body(containsString(",operator,req-issue-" + connection + ",198.51.100.7,curl/8.5,"));
    }

    @Test
    void anAdminWriteWithoutAConnectionJoinsTheAdminChain() {
        String requestId = "req-org-" + UUID.randomUUID();
        AdminAction created = action("admin.organization.create", "POST", "organizations", null, null, null, 201,
                requestId);
        AdminAction refused = action("admin.member.remove", "DELETE", "organizations/acme/members/ada%40x.test", null,
                null, "acme", 404, requestId);
        publish(created);
        publish(refused);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get(ADMIN + "/records?connection=" + AdminAction.NO_CONNECTION + "&organization=acme").then()
                .statusCode(200).body("records.requestId", org.hamcrest.Matchers.hasItem(requestId)));
        given().get(ADMIN + "/records?connection=" + AdminAction.NO_CONNECTION + "&action=admin.organization.create")
                .then().body("records.requestId", org.hamcrest.Matchers.hasItem(requestId));
        given().get(ADMIN + "/verify?connection=" + AdminAction.NO_CONNECTION).then().statusCode(200)
                .body("intact", equalTo(true));
    }
}
