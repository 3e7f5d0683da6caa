package dev.scimsync.membership.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.ScimCredential;
import dev.scimsync.contracts.ScimTokens;
import dev.scimsync.contracts.Topics;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * SCIM credentials: issuing or revoking a token, and switching a connection's SCIM off, each publish the
 * token's whole state to scim.credentials through the outbox and the real Debezium relay - what the gateway
 * verifies tokens from.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class ScimCredentialsTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @Test
    void anIssuedTokenIsPublishedAndItsRevocationToo() {
        String connection = newConnection();
        var issued = given().post("/internal/v1/admin/connections/{name}/scim-tokens", connection)
                .then().statusCode(201).extract().jsonPath();
        String tokenId = issued.getString("id");
        String secret = ScimTokens.parse(issued.getString("token")).orElseThrow().secret();

        ConsumerRecord<String, byte[]> published = awaitCredential(tokenId, c -> !c.revoked());
        ScimCredential live = ContractJson.read(published.value(), ScimCredential.class);
        assertEquals(tokenId, published.key());
        assertEquals("dev.scimsync.membership.scim_credential.v1", KafkaTestClient.header(published, "ce_type"));
        assertEquals(tokenId, KafkaTestClient.header(published, "ce_subject"));
        assertEquals(live.connectionId(), KafkaTestClient.header(published, "ce_connectionid"));
        assertEquals(connection, live.connectionName());
        assertTrue(live.scimEnabled());
        assertTrue(live.accepts(secret), "the published hash verifies the issued secret");
        assertFalse(live.accepts(secret + "x"));

        given().delete("/internal/v1/admin/connections/{name}/scim-tokens/{id}", connection, tokenId)
                .then().statusCode(204);

        ScimCredential revoked = ContractJson.read(awaitCredential(tokenId, ScimCredential::revoked).value(),
                ScimCredential.class);
        assertFalse(revoked.accepts(secret));
        assertNull(revoked.salt(), "a revoked token's hash is not published on");
        assertNull(revoked.secretHash());
        assertEquals(live.connectionId(), revoked.connectionId());
    }

    @Test
    void switchingScimOffOrRenamingTheConnectionRepublishesItsTokens() {
        String connection = newConnection();
        String tokenId = given().post("/internal/v1/admin/connections/{name}/scim-tokens", connection)
                .then().statusCode(201).extract().path("id");
        awaitCredential(tokenId, c -> !c.revoked() && c.scimEnabled());

        given().contentType(ContentType.JSON).body(Map.of("scimEnabled", false))
                .patch("/internal/v1/admin/connections/{name}", connection).then().statusCode(200);

        ScimCredential disabled = ContractJson.read(awaitCredential(tokenId, c -> !c.scimEnabled()).value(),
                ScimCredential.class);
        assertFalse(disabled.revoked(), "switched off, not revoked: switching SCIM on again makes it work again");
        assertNotNull(disabled.secretHash());
        assertEquals(connection, disabled.connectionName());
    }

    @Test
    void aDeletedConnectionsTokensArePublishedRevoked() throws Exception {
        String connection = newConnection();
        String tokenId = given().post("/internal/v1/admin/connections/{name}/scim-tokens", connection)
                .then().statusCode(201).extract().path("id");
        awaitCredential(tokenId, c -> !c.revoked());

        // No admin path deletes a connection; the tokens go with it (on delete cascade) whoever deletes it.
        try (Connection sql = TestDatabase.connect()) {
            sql.createStatement().executeUpdate("delete from connection where name = '" + connection + "'");
        }

        ScimCredential deleted = ContractJson.read(awaitCredential(tokenId, ScimCredential::revoked).value(),
                ScimCredential.class);
        assertNull(deleted.connectionId());
        assertNull(deleted.secretHash());
    }

    @Test
    void reportedUseSetsLastUsedWithoutPublishingTheTokenAgain() throws Exception {
        String connection = newConnection();
        String tokenId = given().post("/internal/v1/admin/connections/{name}/scim-tokens", connection)
                .then().statusCode(201).extract().path("id");
        awaitCredential(tokenId, c -> !c.revoked());
        long rowsBefore = outboxRows(tokenId);

        given().contentType(ContentType.JSON).body(Map.of("tokenIds", List.of(tokenId, "ffffffffffff")))
                .post("/internal/v1/scim-tokens/used").then().statusCode(204);

        given().get("/internal/v1/admin/connections/{name}/scim-tokens", connection).then().statusCode(200)
                .body("find { it.id == '" + tokenId + "' }.lastUsedAt", org.hamcrest.Matchers.notNullValue());
        assertEquals(rowsBefore, outboxRows(tokenId), "last_used_at is not part of the credential");
    }

    @Test
    void theBootstrapTokenIsPublished() {
        ScimCredential bootstrap = ContractJson.read(awaitCredential("0123456789ab", c -> !c.revoked()).value(),
                ScimCredential.class);
        assertEquals("test-sso", bootstrap.connectionName());
        assertTrue(bootstrap.accepts("test-secret-0123456789abcdef"));
    }

    /** A connection of its own, SCIM on, so that switching it off disturbs no other test. */
    private static String newConnection() {
        String name = "creds-" + Long.toHexString(System.nanoTime());
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "defaultOrganization", "test-org", "scimEnabled", true))
                .post("/internal/v1/admin/connections").then().statusCode(201);
        return name;
    }

    private ConsumerRecord<String, byte[]> awaitCredential(String tokenId, Predicate<ScimCredential> state) {
        return kafka.await(Topics.SCIM_CREDENTIALS, Duration.ofSeconds(30), record -> tokenId.equals(record.key())
                        && state.test(ContractJson.read(record.value(), ScimCredential.class))
                        ? Optional.of(record) : Optional.empty())
                .orElseThrow(() -> new AssertionError("no such credential record for token " + tokenId));
    }


    private static long outboxRows(String tokenId) throws Exception {
        try (Connection sql = TestDatabase.connect();
             ResultSet rows = sql.createStatement().executeQuery(
                     "select count(*) from outbox_event where topic = 'scim.credentials' and subject = '" + tokenId + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
