package dev.scimsync.membership.persistence;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.membership.domain.BatchChanges;
import dev.scimsync.membership.domain.BatchState;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A batch of the old connection that read an account just before the new connection adopted it (a
 * connection-to-connection migration, committed first) writes after the adoption: its update and its delete must
 * find the account gone from their connection and leave it as the adoption left it, not take it back or delete it.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class AdoptedAccountWritesTest {

    @Inject
    Pool database;

    @Inject
    UserCommandStore store;

    private static String connection(String name, String organization) {
        return given().contentType(ContentType.JSON).basePath("/internal/v1/admin")
                .body(Map.of("name", name, "organizations", List.of(organization), "defaultOrganization", organization,
                        "scimEnabled", true))
                .post("/connections").then().statusCode(201).extract().path("id");
    }

    @Test
    void theOldConnectionsBatchWritingAfterTheAdoptionNeitherTakesBackNorDeletesTheAccount() {
        String org = "adopted-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).basePath("/internal/v1/admin").body(Map.of("name", org))
                .post("/organizations").then().statusCode(201);
        UUID old = UUID.fromString(connection(org + "-okta", org));
        UUID adopting = UUID.fromString(connection(org + "-entra", org));
        CommandOutcome created = KafkaTestClient.forQuarkusTest().apply(UserCommand.create(old.toString(),
                new UserProfile("moved@x.test", null, true, ContractJson.mapper().createObjectNode(), null),
                new CommandOrigin("t", "req-moved", null, null)));
        UUID id = UUID.fromString(created.user().id());
        // The old connection's batch reads the account as its own, then the adoption commits.
        BatchState.Account readByOld = new BatchState.Account(id, old, "moved@x.test", null, false, "scim",
                ContractJson.mapper().createObjectNode(), 9, Instant.now(), Instant.now(), Instant.now());
        database.preparedQuery("update account set connection_id = $1 where id = $2").execute(Tuple.of(adopting, id))
                .await().indefinitely();

        BatchChanges deactivation = new BatchChanges();
        deactivation.updatedAccounts.add(readByOld);
        BatchChanges removal = new BatchChanges();
        removal.deletedAccounts.add(new BatchChanges.DeletedAccount(id, old, "moved@x.test", Instant.now()));
        for (BatchChanges changes : List.of(deactivation, removal)) {
            database.withTransaction(sql -> store.write(sql, changes)).await().indefinitely();
        }

        Row account = database.preparedQuery("select connection_id, active, version from account where id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
        assertEquals(adopting, account.getUUID("connection_id"));
        assertEquals(true, account.getBoolean("active"));
        assertEquals(1L, account.getLong("version"));
    }
}
