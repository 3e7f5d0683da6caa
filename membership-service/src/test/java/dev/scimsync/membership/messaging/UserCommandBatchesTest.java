package dev.scimsync.membership.messaging;

import static dev.scimsync.membership.messaging.CommandTestSupport.origin;
import static dev.scimsync.membership.messaging.CommandTestSupport.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A burst of commands, as an IdP's initial sync sends them, against the real broker and PostgreSQL: applied a
 * poll at a time, each command still answered on its own, bad ones rejected or parked without their neighbours.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class UserCommandBatchesTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    /** Where SmallRye parks an unreadable command: configuration, so it must agree with the contracts' name. */
    @ConfigProperty(name = "mp.messaging.incoming.user-commands.dead-letter-queue.topic")
    String deadLetterTopic;

    @Test
    void unreadableCommandsAreParkedOnTheDeadLetterTopicTheOtherServicesKnow() {
        assertEquals(Topics.USER_COMMANDS_DLQ, deadLetterTopic);
    }

    @Test
    void aBurstIsAppliedInFewTransactionsAndOnlyItsBadCommandsAreRefused() throws Exception {
        String connection = TestTenant.connectionId();
        String run = Long.toString(System.nanoTime());
        List<UserCommand> creates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            creates.add(UserCommand.create(connection, profile("burst-" + run + "-" + i + "@x.test", true, "{}"), origin()));
        }
        // A second create of the 10th user (another letter case), and a userName too long for PostgreSQL's index:
        // refused one by one, not their batch.
        UserCommand duplicate = UserCommand.create(connection,
                profile("BURST-" + run + "-9@X.TEST", true, "{}"), origin());
        UserCommand tooLong = UserCommand.create(connection, profile(randomText(20_000) + "@x.test", true, "{}"), origin());
        List<byte[]> burst = new ArrayList<>();
        creates.subList(0, 100).forEach(c -> burst.add(ContractJson.write(c)));
        burst.add(ContractJson.write(duplicate));
        burst.add("{not a command".getBytes(StandardCharsets.UTF_8));
        burst.add(ContractJson.write(tooLong));
        creates.subList(100, 200).forEach(c -> burst.add(ContractJson.write(c)));

        kafka.sendBurst(Topics.USER_COMMANDS, connection, burst);

        List<UUID> ids = new ArrayList<>(creates.stream().map(UserCommand::commandId).toList());
        ids.add(duplicate.commandId());
        ids.add(tooLong.commandId());
        Map<UUID, CommandOutcome> outcomes = kafka.awaitOutcomes(ids);
        for (UserCommand create : creates) {
            CommandOutcome outcome = outcomes.get(create.commandId());
            assertEquals(CommandOutcome.Status.APPLIED, outcome.status(), () -> String.valueOf(outcome.failure()));
            assertEquals(create.profile().userName(), outcome.user().profile().userName());
        }
        assertEquals(CommandFailure.Reason.UNIQUENESS, outcomes.get(duplicate.commandId()).failure().reason());
        assertEquals(CommandFailure.Reason.INVALID_VALUE, outcomes.get(tooLong.commandId()).failure().reason());
        assertTrue(kafka.await(Topics.USER_COMMANDS_DLQ, Duration.ofSeconds(30), record ->
                new String(record.value(), StandardCharsets.UTF_8).equals("{not a command") ? Optional.of(record)
                        : Optional.empty()).isPresent(), "the unreadable command is parked on the dead-letter topic");

        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select count(*), count(distinct created_at) from account where user_name like 'burst-" + run + "-%'")) {
            rows.next();
            assertEquals(200, rows.getInt(1), "every applied create is one stored user");
            // Each transaction stamps its users with one time: commands applied one transaction each would give
            // 200 different times.
            assertTrue(rows.getInt(2) <= 100, "200 creates took " + rows.getInt(2) + " transactions");
        }
        try (Connection sql = TestDatabase.connect(); ResultSet rows = sql.createStatement().executeQuery(
                "select count(*) from processed_command where outcome ->> 'commandId' in ("
                        + String.join(",", ids.stream().map(id -> "'" + id + "'").toList()) + ")")) {
            rows.next();
            assertEquals(ids.size(), rows.getInt(1), "each command's outcome is recorded once, for redeliveries");
        }
    }

    /**
     * A removal naming its user by an id PostgreSQL cannot hold (a NUL in it) fails, and so does the record of its
     * rejection, which repeats the id: it is answered rejected all the same, and the commands behind it on the
     * partition are applied - retried instead, it stopped them for good.
     */
    @Test
    void aCommandWhoseRejectionCannotBeRecordedIsStillAnsweredAndTheCommandsBehindItApplied() {
        String connection = TestTenant.connectionId();
        UserCommand removal = UserCommand.delete(connection, "x\u0000y", null, origin());
        UserCommand create = UserCommand.create(connection,
                profile("behind-" + System.nanoTime() + "@x.test", true, "{}"), origin());

        kafka.sendBurst(Topics.USER_COMMANDS, connection, List.of(ContractJson.write(removal), ContractJson.write(create)));

        Map<UUID, CommandOutcome> outcomes = kafka.awaitOutcomes(List.of(removal.commandId(), create.commandId()));
        assertEquals(CommandOutcome.Status.REJECTED, outcomes.get(removal.commandId()).status());
        assertEquals(CommandOutcome.Status.APPLIED, outcomes.get(create.commandId()).status(),
                () -> String.valueOf(outcomes.get(create.commandId()).failure()));
    }

    @Test
    void eachCommandOfABurstAnswersWithItsOwnTraceAndItsEventsCarryIt() {
        String connection = TestTenant.connectionId();
        List<UserCommand> creates = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            creates.add(UserCommand.create(connection, profile("traced-burst-" + System.nanoTime() + "@x.test", true,
                    "{}"), origin()));
            traces.add("00-" + UUID.randomUUID().toString().replace("-", "") + "-00f067aa0ba902b7-01");
        }
        kafka.sendBurst(Topics.USER_COMMANDS, connection, creates.stream().map(ContractJson::write).toList(),
                i -> Map.of("traceparent", traces.get(i)));

        Map<UUID, CommandOutcome> outcomes = kafka.awaitOutcomes(creates.stream().map(UserCommand::commandId).toList());
        for (int i = 0; i < creates.size(); i++) {
            String id = outcomes.get(creates.get(i).commandId()).user().id();
            var created = kafka.awaitEvents(Topics.MEMBERSHIP_EVENTS, id, 1, Duration.ofSeconds(30)).get(0);
            assertEquals(traces.get(i), KafkaTestClient.header(created, "traceparent"));
        }
    }

    private static String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return text.toString();
    }

}
