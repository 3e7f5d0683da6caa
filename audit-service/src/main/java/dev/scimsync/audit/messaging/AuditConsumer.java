package dev.scimsync.audit.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.audit.persistence.AuditLog;
import dev.scimsync.contracts.AdminAction;
import dev.scimsync.contracts.CloudEventHeaders;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.Topics;
import dev.scimsync.contracts.UserCommand;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every user command (with its origin), every outcome, every membership or team event and every admin
 * action (an admin write through the gateway), each once, a poll at a time: one transaction per poll, before the poll's offsets are committed. An unreadable
 * message, or one the database refuses, is parked on the dead-letter topic with the reason, and its neighbours
 * are recorded. A database outage parks nothing: the poll waits until it can be stored.
 */
@ApplicationScoped
public class AuditConsumer {

    /**
     * One channel for every audited topic (commands, outcomes, membership and team events, admin actions): a poll
     * carries what all of them hold, recorded in one transaction, rather than a transaction per topic and poll.
     */
    public static final String AUDITED = "audited-records";

    /** Dead-letter reasons (the {@code dead-letter-reason} header) of records their contract cannot read. */
    static final String USER_COMMAND_UNREADABLE = "not a readable user command";
    static final String GROUP_COMMAND_UNREADABLE = "not a readable group command";
    static final String OUTCOME_UNREADABLE = "not a readable command outcome";
    static final String ADMIN_ACTION_UNREADABLE = "not a readable admin action";

    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);
    /** Waits between attempts while the database cannot be reached; the records wait in Kafka meanwhile. */
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final AuditLog log;
    private final Pool pool;
    private final DeadLetters deadLetters;

    public AuditConsumer(AuditLog log, Pool pool, DeadLetters deadLetters) {
        this.log = log;
        this.pool = pool;
        this.deadLetters = deadLetters;
    }

    /** Each record read as the consumer of its topic reads it ({@link #reread}); raw bytes, so nothing fails to deserialize. */
    @Incoming(AUDITED)
    public Uni<Void> onRecords(KafkaRecordBatch<String, byte[]> batch) {
        return record(batch, record -> reread(record.getTopic(), record.getHeaders(), record.getPayload()));
    }

    /**
     * Records the poll's readable messages in partition order, parks the others, then acknowledges the poll.
     * Only if a message cannot even be parked is the poll nacked: the channel stops rather than lose it.
     */
    private <T> Uni<Void> record(KafkaRecordBatch<String, T> batch,
            Function<KafkaRecord<String, T>, AuditLog.Message> read) {
        List<KafkaRecord<String, T>> readable = new ArrayList<>();
        List<AuditLog.Message> messages = new ArrayList<>();
        List<Uni<Void>> unreadable = new ArrayList<>();
        for (KafkaRecord<String, T> record : batch.getRecords()) {
            AuditLog.Message message;
            try {
                message = read.apply(record);
            } catch (RuntimeException e) {
                // Parked lazily, after the readable ones are stored: a crash in between redelivers both.
                unreadable.add(Uni.createFrom().deferred(() -> deadLetters.park(record, e)));
                continue;
            }
            readable.add(record);
            messages.add(message);
        }
        return store(readable, messages)
                .chain(() -> unreadable.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(unreadable).andFailFast().replaceWithVoid())
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(batch.nack(failure)));
    }

    /**
     * One transaction for the poll. While the database cannot be reached the poll is retried, with backoff,
     * for as long as that takes (appends are idempotent by message id): the records wait in Kafka, the channel
     * pauses and readiness reports the database down, and nothing is parked for an outage. If the database
     * refuses the poll itself (a value it cannot store), its messages are tried one transaction each and only
     * those it refuses are parked: one such message does not take its neighbours with it.
     */
    private <T> Uni<Void> store(List<KafkaRecord<String, T>> records, List<AuditLog.Message> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return untilReachable(pool.withTransaction(connection -> log.append(connection, messages)).replaceWithVoid())
                .onFailure(StoreFailures::refusedByTheDatabase).recoverWithUni(refusal -> Multi.createFrom()
                        .range(0, messages.size())
                        .onItem().transformToUniAndConcatenate(i -> untilReachable(pool
                                .withTransaction(connection -> log.append(connection, List.of(messages.get(i))))
                                .replaceWithVoid())
                                .onFailure(StoreFailures::refusedByTheDatabase)
                                .recoverWithUni(refused -> deadLetters.park(records.get(i), refused)))
                        .collect().last());
    }

    /** {@code attempt}, retried with backoff for as long as it fails for any reason but a refusal of the data. */
    private static Uni<Void> untilReachable(Uni<Void> attempt) {
        return attempt
                .onFailure(failure -> !StoreFailures.refusedByTheDatabase(failure))
                .invoke(failure -> LOG.warnf("the audit database is not reachable (%s); retrying", failure.toString()))
                .onFailure(failure -> !StoreFailures.refusedByTheDatabase(failure))
                .retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).indefinitely();
    }

    /**
     * A record's message, read by its topic's contract: for the consumer, and for a parked record's replay
     * (fails as the consumer did if it is still unreadable).
     */
    static AuditLog.Message reread(String topic, Headers headers, byte[] value) {
        return switch (topic) {
            case Topics.USER_COMMANDS -> command(parse(value, UserCommand.class, USER_COMMAND_UNREADABLE));
            case Topics.GROUP_COMMANDS -> groupCommand(parse(value, GroupCommand.class, GROUP_COMMAND_UNREADABLE));
            case Topics.COMMAND_OUTCOMES -> outcome(parse(value, CommandOutcome.class, OUTCOME_UNREADABLE));
            case Topics.MEMBERSHIP_EVENTS, Topics.TEAM_EVENTS -> event(headers, value);
            case Topics.ADMIN_ACTIONS -> adminAction(parse(value, AdminAction.class, ADMIN_ACTION_UNREADABLE));
            default -> throw new IllegalArgumentException("audit-service does not record " + topic);
        };
    }

    /** The contract in {@code value}, null for no value; JSON that is not the contract is {@code unreadable}. */
    private static <T> T parse(byte[] value, Class<T> contract, String unreadable) {
        try {
            return value == null ? null : ContractJson.read(value, contract);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(unreadable, e);
        }
    }

    private static AuditLog.Message command(UserCommand payload) {
        UserCommand command = readable(payload, USER_COMMAND_UNREADABLE);
        CommandOrigin origin = command.origin() == null ? new CommandOrigin(null, null, null, null) : command.origin();
        String user = command.profile() != null ? command.profile().userName() : command.userId();
        String organization = command.profile() == null ? null : command.profile().placement().organization();
        return new AuditLog.Message(command.connectionId(), "command", "command:" + command.commandId(),
                command.commandId(), "user." + command.type().name().toLowerCase(Locale.ROOT), null, organization, user,
                origin.tokenId(), origin.requestId(), origin.clientAddress(), origin.userAgent(), json(command));
    }

    /** Group commands; the payload keeps the edits (member ids included), the record names no user. */
    private static AuditLog.Message groupCommand(GroupCommand payload) {
        GroupCommand command = readable(payload, GROUP_COMMAND_UNREADABLE);
        CommandOrigin origin = command.origin() == null ? new CommandOrigin(null, null, null, null) : command.origin();
        return new AuditLog.Message(command.connectionId(), "command", "command:" + command.commandId(),
                command.commandId(), "group." + command.type().name().toLowerCase(Locale.ROOT), null, null, null,
                origin.tokenId(), origin.requestId(), origin.clientAddress(), origin.userAgent(), json(command));
    }

    private static AuditLog.Message outcome(CommandOutcome payload) {
        CommandOutcome outcome = readable(payload, OUTCOME_UNREADABLE);
        String result = switch (outcome.status()) {
            case APPLIED -> "applied";
            case HELD -> "held";
            case REJECTED -> "rejected:" + outcome.failure().reason().name().toLowerCase(Locale.ROOT);
        };
        String user = outcome.user() == null ? null : outcome.user().profile().userName();
        return new AuditLog.Message(outcome.connectionId(), "outcome", "outcome:" + outcome.commandId(),
                outcome.commandId(), "outcome", result, null, user, null, null, null, null, json(outcome));
    }

    /**
     * An admin write, in the chain of the connection it acted on (or the {@link AdminAction#NO_CONNECTION}
     * pseudo-connection's): the admin's name where a SCIM command has its token id, the HTTP status as its
     * outcome.
     */
    private static AuditLog.Message adminAction(AdminAction payload) {
        AdminAction action = readable(payload, ADMIN_ACTION_UNREADABLE);
        if (action.actionId() == null || action.action() == null) {
            throw new IllegalArgumentException("an admin action needs its actionId and action");
        }
        return new AuditLog.Message(action.chainKey(), "admin", "admin:" + action.actionId(), null, action.action(),
                Integer.toString(action.status()), action.organization(), null, action.admin(), action.requestId(),
                action.clientAddress(), action.userAgent(), json(action));
    }

    /**
     * A CloudEvent in Kafka binary mode: ce_id identifies it, ce_type names the action, ce_subject the
     * member or team; the connection comes from the {@code ce_connectionid} extension attribute.
     */
    private static AuditLog.Message event(Headers headers, byte[] payload) {
        String id = header(headers, CloudEventHeaders.ID);
        String type = header(headers, CloudEventHeaders.TYPE);
        if (id == null || type == null || payload == null) {
            throw new IllegalArgumentException("not a CloudEvent: ce_id, ce_type and data are required");
        }
        JsonNode data;
        try {
            data = ContractJson.mapper().readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("event data is not JSON", e);
        }
        String connection = header(headers, CloudEventHeaders.CONNECTION_ID);
        return new AuditLog.Message(connection == null ? "-" : connection, "event", "event:" + id, null, type, null,
                data.path("organization").asText(null), header(headers, CloudEventHeaders.SUBJECT), null, null, null,
                null, data);
    }

    /** A record with no value (or one its contract reads as null) is unreadable. */
    private static <T> T readable(T payload, String reason) {
        if (payload == null) {
            throw new IllegalArgumentException(reason);
        }
        return payload;
    }

    private static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(Object contract) {
        return ContractJson.mapper().valueToTree(contract);
    }
}
