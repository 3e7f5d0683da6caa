package dev.scimsync.membership.persistence;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.membership.domain.BatchChanges;
import dev.scimsync.membership.domain.BatchState;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import dev.scimsync.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A batch of the old connection that read an account just before the new connection adopted it (a
 * connection-to-connection migration, committed first) writes after the adoption: its update and its delete must
 * find the account gone from their connection, leave it as the adoption left it - not take it back, delete it, or
 * write its member rows - and fail as stale, so that the batch is applied again on what is there now.
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

    /** An organization with an old and a new connection, and a user the old one created: its id and both ids. */
    private record Moving(UUID old, UUID adopting, UUID user) {
    }

    private static Moving moving() {
        String org = "adopted-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).basePath("/internal/v1/admin").body(Map.of("name", org))
                .post("/organizations").then().statusCode(201);
        UUID old = UUID.fromString(connection(org + "-okta", org));
        UUID adopting = UUID.fromString(connection(org + "-entra", org));
        CommandOutcome created = KafkaTestClient.forQuarkusTest().apply(UserCommand.create(old.toString(),
                new UserProfile("moved@x.test", null, true, ContractJson.mapper().createObjectNode(), null),
                new CommandOrigin("t", "req-moved", null, null)));
        return new Moving(old, adopting, UUID.fromString(created.user().id()));
    }

    @Test
    void theOldConnectionsBatchWritingAfterTheAdoptionNeitherTakesBackNorDeletesTheAccount() {
        Moving moving = moving();
        UUID old = moving.old();
        UUID adopting = moving.adopting();
        UUID id = moving.user();
        // The old connection's batch reads the account as its own, then the adoption commits.
        BatchState.Account readByOld = new BatchState.Account(id, old, "moved@x.test", null, false, "scim",
                ContractJson.mapper().createObjectNode(), 9, Instant.now(), Instant.now(), Instant.now());
        database.preparedQuery("update account set connection_id = $1 where id = $2").execute(Tuple.of(adopting, id))
                .await().indefinitely();

        UUID organization = database.preparedQuery("select organization_id from member where account_id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getUUID("organization_id");

        BatchChanges deactivation = new BatchChanges();
        deactivation.updatedAccounts.add(readByOld);
        deactivation.updatedMembers.add(new BatchState.Member(id, organization, "member", "deactivated", "scim",
                "member", Instant.now()));
        BatchChanges removal = new BatchChanges();
        removal.deletedAccounts.add(new BatchChanges.DeletedAccount(id, old, "moved@x.test", Instant.now()));
        for (BatchChanges changes : List.of(deactivation, removal)) {
            assertThrows(StaleAccounts.class, () -> database.withTransaction(sql -> store.write(sql, changes))
                    .await().indefinitely(), "the batch is applied again, reading the account as it is now");
        }

        Row account = database.preparedQuery("select connection_id, active, version from account where id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
        assertEquals(adopting, account.getUUID("connection_id"));
        assertEquals(true, account.getBoolean("active"));
        assertEquals(1L, account.getLong("version"));
        assertEquals("active", database.preparedQuery("select state from member where account_id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getString("state"),
                "none of the stale batch's member rows written");
    }

    /**
     * The race itself, through the command path: the old IdP's deactivation is read and applied while the adoption
     * holds the account's row, and written after the adoption commits. Applied again, it finds the user gone from
     * its connection (404); the adopted member stays active.
     */
    @Test
    void anOldConnectionsDeactivationRacingTheAdoptionIsAppliedAgainAndFindsTheUserGone() throws Exception {
        Moving moving = moving();
        KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();
        UserCommand deactivation = UserCommand.replace(moving.old().toString(), moving.user().toString(),
                new UserProfile("moved@x.test", null, false, ContractJson.mapper().createObjectNode(), null), null,
                new CommandOrigin("t", "req-old-idp", null, null));
        try (java.sql.Connection adoption = TestDatabase.connect()) {
            adoption.setAutoCommit(false);
            try (var lock = adoption.prepareStatement("select 1 from account where id = ? for update")) {
                lock.setObject(1, moving.user());
                lock.executeQuery().close();
            }
            kafka.send(Topics.USER_COMMANDS, moving.old().toString(), deactivation);
            // The deactivation's batch waits for the account's row: it read the account as the old connection's.
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(adoption) > 0);
            try (var adopt = adoption.prepareStatement("update account set connection_id = ? where id = ?")) {
                adopt.setObject(1, moving.adopting());
                adopt.setObject(2, moving.user());
                adopt.executeUpdate();
            }
            adoption.commit();
        }

        CommandOutcome outcome = kafka.awaitOutcome(deactivation.commandId());
        assertEquals(CommandOutcome.Status.REJECTED, outcome.status(), "not applied to the adopted member");
        assertEquals(CommandFailure.Reason.NOT_FOUND, outcome.failure().reason());
        Row account = database.preparedQuery("select a.connection_id, a.active, m.state from account a join member m "
                + "on m.account_id = a.id where a.id = $1").execute(Tuple.of(moving.user())).await().indefinitely()
                .iterator().next();
        assertEquals(moving.adopting(), account.getUUID("connection_id"));
        assertEquals(true, account.getBoolean("active"));
        assertEquals("active", account.getString("state"));
    }

    private static int waitingForALock(java.sql.Connection connection) throws java.sql.SQLException {
        try (var rows = connection.createStatement().executeQuery("select count(*) from pg_stat_activity "
                + "where wait_event_type = 'Lock' and query like 'update account%'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
