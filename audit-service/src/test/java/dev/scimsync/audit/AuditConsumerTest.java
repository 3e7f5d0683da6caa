package dev.scimsync.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class AuditConsumerTest {

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forQuarkusTest();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static UserCommand command(String userName) {
        ObjectNode attributes = ContractJson.mapper().createObjectNode();
        return UserCommand.create("conn-1", new UserProfile(userName, null, true, attributes),
                new CommandOrigin("tok", "req-7", "10.0.0.1", "Okta SCIM Client"));
    }

    @Test
    void recordsACommandAndItsOutcomeOnceEachEvenWhenRedelivered() {
        UserCommand command = command("ada@example.com");
        CommandOutcome outcome = CommandOutcome.rejected(command.commandId(), "conn-1",
                new CommandFailure(CommandFailure.Reason.UNIQUENESS, "taken"));

        kafka.send(Topics.USER_COMMANDS, "conn-1", command);
        kafka.send(Topics.COMMAND_OUTCOMES, "conn-1", outcome);
        kafka.send(Topics.USER_COMMANDS, "conn-1", command);
        kafka.send(Topics.COMMAND_OUTCOMES, "conn-1", outcome);
        UserCommand marker = command("marker@example.com");
        kafka.send(Topics.USER_COMMANDS, "conn-1", marker);

        // Once the later marker is recorded, the redeliveries before it have been processed too.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/internal/v1/audit/records?commandId={id}", marker.commandId())
                .then().statusCode(200).body("$", hasSize(1)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/internal/v1/audit/records?commandId={id}", command.commandId())
                .then().statusCode(200)
                .body("kind", org.hamcrest.Matchers.containsInAnyOrder("command", "outcome"))
                .body("action", org.hamcrest.Matchers.containsInAnyOrder("user.create", "outcome"))
                .body("outcome", org.hamcrest.Matchers.hasItem("rejected:uniqueness")));
    }

    @Test
    void aPoisonMessageIsParkedAndTheConsumerGoesOn() {
        kafka.sendRaw(Topics.USER_COMMANDS, "conn-1", "garbage".getBytes(StandardCharsets.UTF_8));
        UserCommand after = command("after@example.com");
        kafka.send(Topics.USER_COMMANDS, "conn-1", after);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/internal/v1/audit/records?commandId={id}", after.commandId())
                .then().statusCode(200).body("action", contains("user.create")));
        org.junit.jupiter.api.Assertions.assertTrue(
                kafka.await("audit.dlq", Duration.ofSeconds(10), Optional::of).isPresent());
    }

    @Test
    void listsNewestFirstAndFiltersByConnection() {
        UserCommand older = UserCommand.create("conn-list", new UserProfile("older@example.com", null, true,
                ContractJson.mapper().createObjectNode()), null);
        UserCommand newer = UserCommand.create("conn-list", new UserProfile("newer@example.com", null, true,
                ContractJson.mapper().createObjectNode()), null);
        kafka.send(Topics.USER_COMMANDS, "conn-list", older);
        kafka.send(Topics.USER_COMMANDS, "conn-list", newer);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                .get("/internal/v1/audit/records?connection=conn-list&limit=10")
                .then().statusCode(200)
                .body("commandId", contains(newer.commandId().toString(), older.commandId().toString())));
        given().get("/internal/v1/audit/records?connection=conn-list&limit=1").then().body("$", hasSize(1));
    }

    @Test
    void badQueriesAre400() {
        given().get("/internal/v1/audit/records?commandId=nope").then().statusCode(400);
        given().get("/internal/v1/audit/records?limit=0").then().statusCode(400);
        given().get("/internal/v1/audit/records?limit=501").then().statusCode(400);
    }
}
