package dev.scimsync.membership.messaging;

import static dev.scimsync.membership.messaging.CommandTestSupport.origin;
import static dev.scimsync.membership.messaging.CommandTestSupport.profile;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Replace (SCIM PUT/PATCH), deactivate and delete, through the real broker and database. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class UserLifecycleTest {

    private static KafkaTestClient kafka() {
        return KafkaTestClient.forQuarkusTest();
    }


    private static UserSnapshot created(String connection, String userName) {
        return kafka().apply(UserCommand.create(connection, profile(userName, true, "{\"title\":\"Engineer\"}"), origin()))
                .user();
    }

    @Test
    void replaceStoresTheNewProfileAndMovesTheVersionOn() {
        String connection = TestTenant.connectionId();
        UserSnapshot user = created(connection, "replace-me@example.com");

        CommandOutcome replaced = kafka().apply(UserCommand.replace(connection, user.id(),
                profile("Replaced@example.com", false, "{\"nickName\":\"R\"}"), 1L, origin()));

        assertEquals(CommandOutcome.Status.APPLIED, replaced.status());
        assertEquals(2, replaced.user().version());
        assertEquals(user.created(), replaced.user().created());
        given().get("/internal/v1/connections/{c}/users/{id}", connection, user.id()).then().statusCode(200)
                .body("profile.userName", equalTo("Replaced@example.com"))
                .body("profile.active", equalTo(false))
                .body("profile.attributes.nickName", equalTo("R"))
                .body("profile.attributes.title", org.hamcrest.Matchers.nullValue())
                .body("version", equalTo(2));
    }

    @Test
    void aStaleVersionIsRejectedAndNothingChanges() {
        String connection = TestTenant.connectionId();
        UserSnapshot user = created(connection, "stale@example.com");

        CommandOutcome stale = kafka().apply(UserCommand.replace(connection, user.id(),
                profile("stale@example.com", true, "{}"), 7L, origin()));

        assertEquals(CommandFailure.Reason.VERSION_MISMATCH, stale.failure().reason());
        given().get("/internal/v1/connections/{c}/users/{id}", connection, user.id()).then()
                .body("version", equalTo(1)).body("profile.attributes.title", equalTo("Engineer"));
    }

    @Test
    void renamingOntoATakenUserNameIsRejected() {
        String connection = TestTenant.connectionId();
        created(connection, "holder@example.com");
        UserSnapshot mover = created(connection, "mover@example.com");

        CommandOutcome moved = kafka().apply(UserCommand.replace(connection, mover.id(),
                profile("HOLDER@example.com", true, "{}"), null, origin()));

        assertEquals(CommandFailure.Reason.UNIQUENESS, moved.failure().reason());
    }

    @Test
    void deleteRemovesTheUserAndASecondDeleteIsNotFound() {
        String connection = TestTenant.connectionId();
        UserSnapshot user = created(connection, "leaver@example.com");

        assertEquals(CommandOutcome.Status.APPLIED,
                kafka().apply(UserCommand.delete(connection, user.id(), null, origin())).status());

        given().get("/internal/v1/connections/{c}/users/{id}", connection, user.id()).then().statusCode(404);
        CommandOutcome again = kafka().apply(UserCommand.delete(connection, user.id(), null, origin()));
        assertEquals(CommandFailure.Reason.NOT_FOUND, again.failure().reason());
        assertEquals(CommandOutcome.Status.APPLIED,
                kafka().apply(UserCommand.create(connection, profile("leaver@example.com", true, "{}"), origin())).status(),
                "the userName is free again");
    }
}
