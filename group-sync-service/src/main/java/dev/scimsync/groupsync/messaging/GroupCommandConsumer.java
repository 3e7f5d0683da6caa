package dev.scimsync.groupsync.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.outbox.OutboxTrace;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.MDC;

/**
 * Consumes group commands and publishes each outcome once its transaction has committed; the command's
 * offset is committed only after that, so a crash in between redelivers the command and the handler answers
 * it from the processed-command record.
 */
@ApplicationScoped
public class GroupCommandConsumer {

    private final GroupCommandHandler handler;

    public GroupCommandConsumer(GroupCommandHandler handler) {
        this.handler = handler;
    }

    @Incoming("group-commands")
    @Outgoing("command-outcomes")
    public Uni<Record<String, CommandOutcome>> consume(GroupCommand command,
            IncomingKafkaRecordMetadata<String, GroupCommand> metadata) {
        if (command == null) {
            // Unreadable: failing nacks the message, which parks it on the dead-letter topic.
            return Uni.createFrom().failure(new IllegalArgumentException("not a readable group command"));
        }
        MDC.put("commandId", command.commandId().toString());
        if (command.origin() != null && command.origin().requestId() != null) {
            MDC.put("requestId", command.origin().requestId());
        } else {
            MDC.remove("requestId");
        }
        // Passing failures (database, membership-service) are retried; the handler is idempotent by command id.
        return handler.handle(command, OutboxTrace.traceparent(metadata == null ? null : metadata.getHeaders()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5)
                .map(outcome -> Record.of(command.connectionId(), outcome));
    }
}
