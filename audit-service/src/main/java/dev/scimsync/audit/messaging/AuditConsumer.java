package dev.scimsync.audit.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.audit.persistence.AuditLog;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserCommand;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Records every user command (with its origin), every outcome and every membership or team event, each
 * once and in its own transaction, before its offset is committed. An unreadable message is parked on the
 * dead-letter topic with the reason, and the consumer goes on.
 */
@ApplicationScoped
public class AuditConsumer {

    public static final String COMMANDS = "audited-user-commands";
    public static final String GROUP_COMMANDS = "audited-group-commands";
    public static final String OUTCOMES = "audited-outcomes";
    public static final String MEMBERSHIP_EVENTS = "audited-membership-events";
    public static final String TEAM_EVENTS = "audited-team-events";

    private final AuditLog log;
    private final Pool pool;

    public AuditConsumer(AuditLog log, Pool pool) {
        this.log = log;
        this.pool = pool;
    }

    @Incoming(COMMANDS)
    public Uni<Void> onCommand(UserCommand command) {
        if (command == null) {
            return unreadable("not a readable user command");
        }
        CommandOrigin origin = command.origin() == null ? new CommandOrigin(null, null, null, null) : command.origin();
        String user = command.profile() != null ? command.profile().userName() : command.userId();
        String organization = command.profile() == null ? null : command.profile().placement().organization();
        return append(new AuditLog.Message(command.connectionId(), "command", "command:" + command.commandId(),
                command.commandId(), "user." + command.type().name().toLowerCase(Locale.ROOT), null, organization, user,
                origin.tokenId(), origin.requestId(), origin.clientAddress(), origin.userAgent(), json(command)));
    }

    /** Group commands; the payload keeps the edits (member ids included), the record names no user. */
    @Incoming(GROUP_COMMANDS)
    public Uni<Void> onGroupCommand(dev.scimsync.contracts.GroupCommand command) {
        if (command == null) {
            return unreadable("not a readable group command");
        }
        CommandOrigin origin = command.origin() == null ? new CommandOrigin(null, null, null, null) : command.origin();
        return append(new AuditLog.Message(command.connectionId(), "command", "command:" + command.commandId(),
                command.commandId(), "group." + command.type().name().toLowerCase(Locale.ROOT), null, null, null,
                origin.tokenId(), origin.requestId(), origin.clientAddress(), origin.userAgent(), json(command)));
    }

    @Incoming(OUTCOMES)
    public Uni<Void> onOutcome(CommandOutcome outcome) {
        if (outcome == null) {
            return unreadable("not a readable command outcome");
        }
        String result = outcome.status() == CommandOutcome.Status.APPLIED
                ? "applied"
                : "rejected:" + outcome.failure().reason().name().toLowerCase(Locale.ROOT);
        String user = outcome.user() == null ? null : outcome.user().profile().userName();
        return append(new AuditLog.Message(outcome.connectionId(), "outcome", "outcome:" + outcome.commandId(),
                outcome.commandId(), "outcome", result, null, user, null, null, null, null, json(outcome)));
    }

    @Incoming(MEMBERSHIP_EVENTS)
    public Uni<Void> onMembershipEvent(Message<byte[]> event) {
        return onEvent(event);
    }

    @Incoming(TEAM_EVENTS)
    public Uni<Void> onTeamEvent(Message<byte[]> event) {
        return onEvent(event);
    }

    /**
     * A CloudEvent in Kafka binary mode: ce_id identifies it, ce_type names the action, ce_subject the
     * member or team; the connection comes from the {@code ce_connectionid} extension attribute.
     */
    private Uni<Void> onEvent(Message<byte[]> event) {
        Headers headers = event.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getHeaders()).orElse(null);
        String id = header(headers, "ce_id");
        String type = header(headers, "ce_type");
        if (id == null || type == null || event.getPayload() == null) {
            return Uni.createFrom().completionStage(event.nack(
                    new IllegalArgumentException("not a CloudEvent: ce_id, ce_type and data are required")));
        }
        JsonNode data;
        try {
            data = ContractJson.mapper().readTree(event.getPayload());
        } catch (java.io.IOException e) {
            return Uni.createFrom().completionStage(event.nack(new IllegalArgumentException("event data is not JSON", e)));
        }
        String connection = header(headers, "ce_connectionid");
        return append(new AuditLog.Message(connection == null ? "-" : connection, "event", "event:" + id, null, type,
                null, data.path("organization").asText(null), header(headers, "ce_subject"), null, null, null, null, data))
                .chain(() -> Uni.createFrom().completionStage(event.ack()))
                .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(event.nack(failure)));
    }

    /** A passing database failure is retried (appends are idempotent by message id) before giving up. */
    private Uni<Void> append(AuditLog.Message message) {
        return pool.withTransaction(connection -> log.append(connection, message)).replaceWithVoid()
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5);
    }

    private static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Failing nacks the message, which parks it on the dead-letter topic; the consumer goes on. */
    private static Uni<Void> unreadable(String reason) {
        return Uni.createFrom().failure(new IllegalArgumentException(reason));
    }

    private static JsonNode json(Object contract) {
        return ContractJson.mapper().valueToTree(contract);
    }
}
