package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.outbox.OutboxTrace;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Consumes user commands and publishes each outcome once its transaction has committed. The command's
 * offset is committed only after the outcome is written to Kafka, so a crash in between redelivers the
 * command, and the handler answers it from the processed-command record.
 */
@ApplicationScoped
public class UserCommandConsumer {

    public static final String COMMANDS = "user-commands";
    public static final String OUTCOMES = "command-outcomes";

    private final UserCommandHandler handler;

    public UserCommandConsumer(UserCommandHandler handler) {
        this.handler = handler;
    }

    @Incoming(COMMANDS)
    @Outgoing(OUTCOMES)
    public Uni<Record<String, CommandOutcome>> consume(UserCommand command,
            IncomingKafkaRecordMetadata<String, UserCommand> metadata) {
        if (command == null) {
            // Unreadable: failing here nacks the message, which sends it to the dead-letter topic.
            return Uni.createFrom().failure(new IllegalArgumentException("not a readable user command"));
        }
        // Log lines of this command carry its id and the IdP's request id.
        MDC.put("commandId", command.commandId().toString());
        if (command.origin() != null && command.origin().requestId() != null) {
            MDC.put("requestId", command.origin().requestId());
        } else {
            MDC.remove("requestId");
        }
        // A passing database failure is retried (the handler is idempotent by command id); only what keeps
        // failing is nacked to the dead-letter topic.
        return handler.handle(command, OutboxTrace.traceparent(metadata == null ? null : metadata.getHeaders()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5)
                .map(outcome -> Record.of(command.connectionId(), outcome));
    }
}
