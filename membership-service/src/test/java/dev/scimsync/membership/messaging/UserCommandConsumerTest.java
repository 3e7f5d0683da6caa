package dev.scimsync.membership.messaging;

import static io.restassured.RestAssured.given;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_EXCEPTION_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_REASON;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Commands in on the real broker, state in the real PostgreSQL, outcomes out on the real broker. */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class UserCommandConsumerTest {

    private static KafkaTestClient kafka() {
        return KafkaTestClient.forQuarkusTest();
    }


    @Test
    void createStoresTheUserAndPublishesTheCommittedResult() {
        String connectionId = TestTenant.connectionId();
        UserCommand create = UserCommand.create(connectionId, profile("grace@example.com"), origin());

        kafka().send(Topics.USER_COMMANDS, connectionId, create);
        CommandOutcome outcome = awaitOutcome(create.commandId());

        assertEquals(CommandOutcome.Status.APPLIED, outcome.status());
        assertEquals("grace@example.com", outcome.user().profile().userName());
        assertEquals("Hopper", outcome.user().profile().attributes().path("name").path("familyName").asText());
        assertEquals(1, outcome.user().version());
        given().get("/internal/v1/connections/{c}/users/{id}", connectionId, outcome.user().id())
                .then().statusCode(200)
                .body("profile.userName", equalTo("grace@example.com"))
                .body("created", equalTo(outcome.user().created().toString()))
                .body("version", equalTo(1));
    }

    @Test
    void aRedeliveredCommandIsAppliedOnceAndAnsweredWithItsFirstOutcome() {
        String connectionId = TestTenant.connectionId();
        UserCommand create = UserCommand.create(connectionId, profile("linus@example.com"), origin());

        kafka().send(Topics.USER_COMMANDS, connectionId, create);
        CommandOutcome first = awaitOutcome(create.commandId());
        kafka().send(Topics.USER_COMMANDS, connectionId, create);

        long outcomes = kafka().count(Topics.COMMAND_OUTCOMES, CommandOutcome.class,
                o -> o.commandId().equals(create.commandId()), Duration.ofSeconds(3));
        assertEquals(2, outcomes, "the redelivery is answered too");
        CommandOutcome replayed = kafka().await(Topics.COMMAND_OUTCOMES, Duration.ofSeconds(5), record -> {
            CommandOutcome o = ContractJson.read(record.value(), CommandOutcome.class);
            return o.commandId().equals(create.commandId()) && !o.equals(first) ? Optional.of(o) : Optional.empty();
        }).orElse(first);
        assertEquals(first, replayed, "the second answer is the stored first outcome");
        assertEquals(CommandOutcome.Status.APPLIED, first.status());
    }

    @Test
    void aSecondUserWithTheSameUserNameInAnotherCaseIsRejected() {
        String connectionId = TestTenant.connectionId();
        UserCommand first = UserCommand.create(connectionId, profile("ken@example.com"), origin());
        UserCommand second = UserCommand.create(connectionId, profile("KEN@Example.com"), origin());
        double appliedBefore = commandsCounted("user", "create", "applied", "none");
        double refusedBefore = commandsCounted("user", "create", "rejected", "uniqueness");

        kafka().send(Topics.USER_COMMANDS, connectionId, first);
        kafka().send(Topics.USER_COMMANDS, connectionId, second);

        assertEquals(CommandOutcome.Status.APPLIED, awaitOutcome(first.commandId()).status());
        CommandOutcome rejected = awaitOutcome(second.commandId());
        assertEquals(CommandOutcome.Status.REJECTED, rejected.status());
        assertNull(rejected.user());
        assertEquals(CommandFailure.Reason.UNIQUENESS, rejected.failure().reason());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertTrue(commandsCounted("user", "create", "applied", "none") >= appliedBefore + 1);
            assertTrue(commandsCounted("user", "create", "rejected", "uniqueness") >= refusedBefore + 1);
        });
    }

    @Test
    void eachAppliedGroupIsTimedStepByStepAndItsSizeRecorded() {
        String connectionId = TestTenant.connectionId();
        UserCommand create = UserCommand.create(connectionId, profile("barbara@example.com"), origin());
        java.util.Map<String, String> user = java.util.Map.of("resource", "user");
        java.util.List<String> steps = java.util.List.of("apply", "publish", "acknowledge");
        double groupsBefore = metric("scim_command_batch_commands_count", user);
        double commandsBefore = metric("scim_command_batch_commands_sum", user);
        java.util.Map<String, Double> stepsBefore = new java.util.HashMap<>();
        steps.forEach(step -> stepsBefore.put(step, metric("scim_command_batch_seconds_count", step(step))));

        kafka().send(Topics.USER_COMMANDS, connectionId, create);
        awaitOutcome(create.commandId());

        // The group's offsets are committed last: once that step is counted, so is every step before it.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertTrue(metric("scim_command_batch_commands_count", user) >= groupsBefore + 1);
            assertTrue(metric("scim_command_batch_commands_sum", user) >= commandsBefore + 1);
            for (String step : steps) {
                assertTrue(metric("scim_command_batch_seconds_count", step(step)) >= stepsBefore.get(step) + 1, step);
            }
        });
        for (String step : steps) {
            assertTrue(metric("scim_command_batch_seconds_sum", step(step)) > 0, step);
        }
    }

    private static java.util.Map<String, String> step(String phase) {
        return java.util.Map.of("resource", "user", "phase", phase);
    }

    private static double metric(String name, java.util.Map<String, String> labels) {
        return dev.scimsync.testsupport.PrometheusSamples.sum(given().get("/q/metrics").then().statusCode(200)
                .extract().asString(), name, labels);
    }

    /** {@code scim_commands_total} for one type, result and reason (0 before the first). */
    static double commandsCounted(String resource, String type, String result, String reason) {
        return dev.scimsync.testsupport.PrometheusSamples.sum(given().get("/q/metrics").then().statusCode(200)
                .extract().asString(), "scim_commands_total",
                java.util.Map.of("resource", resource, "type", type, "result", result, "reason", reason));
    }

    @Test
    void aCommandForAnUnknownConnectionIsRejectedNotDropped() {
        String unknown = UUID.randomUUID().toString();
        UserCommand create = UserCommand.create(unknown, profile("nobody@example.com"), origin());

        kafka().send(Topics.USER_COMMANDS, unknown, create);

        CommandOutcome outcome = awaitOutcome(create.commandId());
        assertEquals(CommandFailure.Reason.NOT_FOUND, outcome.failure().reason());
    }

    @Test
    void aPoisonMessageDoesNotStopTheConsumer() {
        String connectionId = TestTenant.connectionId();
        // Unique to this test: the dead-letter topic also holds other tests' unreadable commands.
        String poison = "{not json " + UUID.randomUUID();
        kafka().sendRaw(Topics.USER_COMMANDS, connectionId, poison.getBytes(StandardCharsets.UTF_8),
                java.util.Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        UserCommand after = UserCommand.create(connectionId, profile("after-poison@example.com"), origin());

        kafka().send(Topics.USER_COMMANDS, connectionId, after);

        assertEquals(CommandOutcome.Status.APPLIED, awaitOutcome(after.commandId()).status());
        ConsumerRecord<String, byte[]> parked = kafka().await(Topics.USER_COMMANDS_DLQ, Duration.ofSeconds(10),
                record -> poison.equals(new String(record.value(), StandardCharsets.UTF_8)) ? Optional.of(record)
                        : Optional.<ConsumerRecord<String, byte[]>>empty())
                .orElseThrow(() -> new AssertionError("the poison message is parked on the dead-letter topic"));
        assertEquals(connectionId, parked.key(), "parked under its own key");
        assertEquals("not a readable user command", KafkaTestClient.header(parked, DEAD_LETTER_REASON));
        assertEquals(IllegalArgumentException.class.getName(),
                KafkaTestClient.header(parked, DEAD_LETTER_EXCEPTION_CLASS_NAME));
        assertEquals(Topics.USER_COMMANDS, KafkaTestClient.header(parked, DEAD_LETTER_TOPIC));
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                KafkaTestClient.header(parked, "traceparent"), "its own headers travel with it");
    }

    @Test
    void theStoredOutcomeCanBeFetchedByCommandId() {
        String connectionId = TestTenant.connectionId();
        UserCommand create = UserCommand.create(connectionId, profile("margaret@example.com"), origin());
        kafka().send(Topics.USER_COMMANDS, connectionId, create);
        CommandOutcome outcome = awaitOutcome(create.commandId());

        given().get("/internal/v1/commands/{id}", create.commandId())
                .then().statusCode(200).body("user.id", equalTo(outcome.user().id()));
        given().get("/internal/v1/commands/{id}", UUID.randomUUID()).then().statusCode(404);
        given().get("/internal/v1/commands/not-a-uuid").then().statusCode(404);
    }

    private static CommandOutcome awaitOutcome(UUID commandId) {
        return kafka().awaitOutcome(commandId);
    }

    private static UserProfile profile(String userName) {
        ObjectNode attributes = ContractJson.mapper().createObjectNode();
        attributes.putObject("name").put("givenName", "Grace").put("familyName", "Hopper");
        return new UserProfile(userName, null, true, attributes);
    }

    private static CommandOrigin origin() {
        return new CommandOrigin("0123456789ab", "req-1", "127.0.0.1", "test");
    }
}
