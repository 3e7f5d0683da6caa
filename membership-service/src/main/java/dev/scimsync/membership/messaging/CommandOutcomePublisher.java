package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CloudEventHeaders;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.membership.domain.UserCommandBatch;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes the outcomes of applied user commands on {@code scim.command.outcomes}: the gateway answers the IdP from
 * them, group-sync-service keeps its users' activity from them (a deactivated user leaves its teams) and
 * audit-service records them. Both ways commands are applied publish here: the command consumer, and an admin's
 * approval of held de-provisioning changes.
 */
@ApplicationScoped
public class CommandOutcomePublisher {

    public static final String OUTCOMES = "command-outcomes";

    private final MutinyEmitter<CommandOutcome> outcomes;

    public CommandOutcomePublisher(@Channel(OUTCOMES) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<CommandOutcome> outcomes) {
        this.outcomes = outcomes;
    }

    /** Every outcome, keyed by connection and carrying its command's trace context, acknowledged by Kafka. */
    public Uni<Void> publish(List<UserCommandBatch.Pending> commands, List<CommandOutcome> applied) {
        List<Uni<Void>> sent = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
            sent.add(send(applied.get(i), commands.get(i).command().connectionId(), commands.get(i).traceparent()));
        }
        return allAcknowledged(sent);
    }

    /** Outcomes published again, without their commands (and so without trace context), keyed by connection. */
    public Uni<Void> publish(List<CommandOutcome> recorded) {
        return allAcknowledged(recorded.stream().map(outcome -> send(outcome, outcome.connectionId(), null)).toList());
    }

    private Uni<Void> send(CommandOutcome outcome, String connectionId, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add(CloudEventHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return outcomes.sendMessage(Message.of(outcome).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(connectionId).withHeaders(headers).build()));
    }

    private static Uni<Void> allAcknowledged(List<Uni<Void>> sent) {
        return sent.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sent).andFailFast().replaceWithVoid();
    }
}
