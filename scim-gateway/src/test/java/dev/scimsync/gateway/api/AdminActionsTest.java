package dev.scimsync.gateway.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.AdminAction;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.testsupport.KafkaTestClient;
import dev.scimsync.testsupport.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every admin write through the gateway - admin API or console - is published on admin.actions once its owner
 * has answered: who (the admin's name, never its token), what, the status answered, and from where; reads are
 * not.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestInfrastructure.class, restrictToAnnotatedClass = true)
class AdminActionsTest {

    /** The raw record of the action with this request id, and the action read from it. */
    private record Published(ConsumerRecord<String, byte[]> record, AdminAction action) {
    }

    private static Published published(String requestId) {
        return KafkaTestClient.forQuarkusTest().await(Topics.ADMIN_ACTIONS, Duration.ofSeconds(30), record -> {
            AdminAction action = ContractJson.read(record.value(), AdminAction.class);
            return requestId.equals(action.requestId()) ? Optional.of(new Published(record, action)) : Optional.empty();
        }).orElseThrow(() -> new AssertionError("no admin action published for request " + requestId));
    }

    private static String requestId() {
        return "admin-test-" + UUID.randomUUID();
    }

    @Test
    void anAdminApiWriteIsPublishedWithWhoWhatWhereAndTheStatusButNoSecret() {
        String requestId = requestId();
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .header("X-Request-Id", requestId).header("User-Agent", "admin-script/1.0")
                .post("/admin/v1/connections/test-sso/scim-tokens").then().statusCode(201);

        Published published = published(requestId);
        AdminAction action = published.action();
        assertEquals("admin.scim-token.issue", action.action());
        assertEquals("operator", action.admin());
        assertEquals("api", action.via());
        assertEquals("POST", action.method());
        assertEquals("connections/test-sso/scim-tokens", action.path());
        assertEquals("test-sso", action.connectionName());
        assertEquals(GatewayTestInfrastructure.CONNECTION_ID, action.connectionId());
        assertEquals(GatewayTestInfrastructure.CONNECTION_ID, published.record().key(), "keyed by its chain");
        assertEquals(201, action.status());
        assertEquals("127.0.0.1", action.clientAddress());
        assertEquals("admin-script/1.0", action.userAgent());
        assertTrue(action.occurredAt() != null && action.actionId() != null);
        String wire = new String(published.record().value(), StandardCharsets.UTF_8);
        assertFalse(wire.contains(GatewayTestInfrastructure.ADMIN_TOKEN), "never the admin token: " + wire);
        assertFalse(wire.contains("issued-secret"), "never what the owner answered: " + wire);
    }

    @Test
    void anActionOccursAtTheInjectedClocksMillisecond() {
        String requestId = requestId();
        Instant stopped = TestClock.distinctTime();
        TestClock.shared().stopAt(stopped);
        try {
            given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                    .header("X-Request-Id", requestId).post("/admin/v1/connections/test-sso/scim-tokens").then()
                    .statusCode(201);
        } finally {
            TestClock.shared().run();
        }
        assertEquals(stopped.truncatedTo(ChronoUnit.MILLIS), published(requestId).action().occurredAt());
    }

    @Test
    void aCreateNamesWhatItCreatedAndARefusedWriteIsPublishedWithItsStatus() {
        String created = requestId();
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .header("X-Request-Id", created).contentType(ContentType.JSON).body("{\"name\":\"test-sso\"}")
                .post("/admin/v1/connections").then().statusCode(201);
        AdminAction create = published(created).action();
        assertEquals("admin.connection.create", create.action());
        assertEquals("connections/test-sso", create.location(), "the admin path, not the owner's internal URL");
        assertEquals(GatewayTestInfrastructure.CONNECTION_ID, create.connectionId());

        String refused = requestId();
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .header("X-Request-Id", refused).delete("/admin/v1/organizations/nowhere/members/ada%40example.com")
                .then().statusCode(404);
        AdminAction removal = published(refused).action();
        assertEquals("admin.member.remove", removal.action());
        assertEquals(404, removal.status());
        assertEquals("nowhere", removal.organization());
        assertNull(removal.connectionId());
        assertEquals(AdminAction.NO_CONNECTION, removal.chainKey());
    }

    @Test
    void aReadIsNotPublished() {
        String read = requestId();
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .header("X-Request-Id", read).get("/admin/v1/organizations/test-org").then().statusCode(200);
        // A write after it, in the same chain (so the same partition): once it is there, the read would be too.
        String write = requestId();
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .header("X-Request-Id", write).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .post("/admin/v1/organizations").then().statusCode(404);
        published(write);

        assertEquals(0, KafkaTestClient.forQuarkusTest().count(Topics.ADMIN_ACTIONS, AdminAction.class,
                action -> read.equals(action.requestId()), Duration.ofSeconds(2)));
    }

    @Test
    void aConsoleWriteIsPublishedAsTheSignedInAdminsThroughTheConsole() {
        Response form = given().get("/console/sign-in");
        Matcher formValue = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.asString());
        assertTrue(formValue.find());
        String session = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("scimsync_console_form", form.getCookie("scimsync_console_form"))
                .formParam("form", formValue.group(1)).formParam("token", GatewayTestInfrastructure.ADMIN_TOKEN)
                .post("/console/sign-in").getCookie("scimsync_console");
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(given().cookie("scimsync_console", session).get("/console/connections").asString());
        assertTrue(csrf.find());

        String requestId = requestId();
        given().redirects().follow(false).cookie("scimsync_console", session).header("X-Request-Id", requestId)
                .header("User-Agent", "Firefox/140").contentType(ContentType.URLENC).formParam("csrf", csrf.group(1))
                .post("/console/connections/test-sso/tokens");

        AdminAction action = published(requestId).action();
        assertEquals("admin.scim-token.issue", action.action());
        assertEquals("operator", action.admin());
        assertEquals("console", action.via());
        assertEquals("Firefox/140", action.userAgent());
        assertEquals(GatewayTestInfrastructure.CONNECTION_ID, action.connectionId());
    }

    @Test
    void aTokenRevokedThroughThisGatewayIsRefusedByItAtOnceWithoutWaitingForItsRecord() {
        Supplier<Response> idpRead = () -> given()
                .header("Authorization", "Bearer " + GatewayTestInfrastructure.REVOCABLE_TOKEN).get("/scim/v2/Users?count=0");
        await().atMost(Duration.ofSeconds(30)).until(() -> idpRead.get().statusCode() == 200);
        // A revocation the owner refuses changes nothing here.
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .delete("/admin/v1/connections/test-sso/scim-tokens/aaaaaaaaaaaa").then().statusCode(404);
        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.TOKEN)
                .get("/scim/v2/Users?count=0").then().statusCode(200);

        given().header("Authorization", "Bearer " + GatewayTestInfrastructure.ADMIN_TOKEN)
                .delete("/admin/v1/connections/test-sso/scim-tokens/ffffffffffff").then().statusCode(204);
        // The fake membership-service never publishes the revoked record: only this instance's memory refuses it.
        idpRead.get().then().statusCode(401);
    }

    @Test
    void eachKnownAdminWriteHasAName() {
        assertEquals("admin.scim-token.revoke", AdminActions.actionName("DELETE", "connections/a/scim-tokens/0a1b2c3d4e5f"));
        assertEquals("admin.connection.unlink", AdminActions.actionName("DELETE", "connections/a/organizations/acme"));
        assertEquals("admin.group-mapping.set", AdminActions.actionName("PUT", "connections/a/group-mappings/g%201"));
        assertEquals("admin.migration.jit-to-scim", AdminActions.actionName("POST", "connections/a/migrations/jit-to-scim"));
        assertEquals("admin.migration.from-connection",
                AdminActions.actionName("POST", "connections/a/migrations/from-connection"));
        assertEquals("admin.migration.from-connection.stop",
                AdminActions.actionName("DELETE", "connections/a/migrations/from-connection"));
        assertEquals("admin.dead-letter.replay", AdminActions.actionName("POST", "dead-letters/audit.dlq/0/12/replay"));
        assertEquals("admin.invitation.revoke",
                AdminActions.actionName("DELETE", "organizations/acme/invitations/ada%40acme.test"));
        assertEquals("admin.organization.create", AdminActions.actionName("POST", "organizations"));
        assertEquals("admin.organization.update", AdminActions.actionName("PATCH", "organizations/acme"));
        assertEquals("admin.guard.update", AdminActions.actionName("PATCH", "connections/a/guard"));
        assertEquals("admin.guard.approve", AdminActions.actionName("POST", "connections/a/held-changes/approve"));
        assertEquals("admin.guard.reject", AdminActions.actionName("POST", "connections/a/held-changes/reject"));
        assertEquals("admin.put", AdminActions.actionName("PUT", "organizations/acme"), "unlisted: by method");
    }
}
