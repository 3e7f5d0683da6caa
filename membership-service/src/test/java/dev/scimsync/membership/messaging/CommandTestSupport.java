package dev.scimsync.membership.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.testsupport.KafkaTestClient;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Sends commands the way the gateway does and waits for their outcomes. */
final class CommandTestSupport {

    private CommandTestSupport() {
    }

    static CommandOutcome apply(KafkaTestClient kafka, UserCommand command) {
        kafka.send(Topics.USER_COMMANDS, command.connectionId(), command);
        return awaitOutcome(kafka, command.commandId());
    }

    static CommandOutcome awaitOutcome(KafkaTestClient kafka, UUID commandId) {
        return kafka.await(Topics.COMMAND_OUTCOMES, Duration.ofSeconds(20), record -> {
            CommandOutcome outcome = ContractJson.read(record.value(), CommandOutcome.class);
            return outcome.commandId().equals(commandId) ? Optional.of(outcome) : Optional.empty();
        }).orElseThrow(() -> new AssertionError("no outcome for command " + commandId));
    }

    static UserProfile profile(String userName, boolean active, String attributesJson) {
        try {
            return new UserProfile(userName, null, active, (ObjectNode) ContractJson.mapper().readTree(attributesJson));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static CommandOrigin origin() {
        return new CommandOrigin("0123456789ab", "req-1", "127.0.0.1", "test");
    }
}
