package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CloudEventHeaders;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.membership.domain.UserCommandBatch;
import dev.scimsync.outbox.OutboxTrace;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Consumes user commands a poll at a time (per partition, so each tenant's commands keep their order), applies
 * them in one transaction, and publishes each outcome once that transaction has committed. The poll's offsets
 * are committed only after every outcome is written to Kafka, so a crash in between redelivers the commands and
 * they are answered from their processed-command records.
 */
@ApplicationScoped
public class UserCommandConsumer {

    public static final String COMMANDS = "user-commands";
    public static final String OUTCOMES = "command-outcomes";
    private static final Logger LOG = Logger.getLogger(UserCommandConsumer.class);
    /** Waits between attempts while the database cannot be reached; the commands wait in Kafka meanwhile. */
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final UserCommandApplier applier;
    private final MutinyEmitter<CommandOutcome> outcomes;
    private final MeterRegistry meters;

    public UserCommandConsumer(UserCommandApplier applier,
            @Channel(OUTCOMES) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<CommandOutcome> outcomes, MeterRegistry meters) {
        this.applier = applier;
        this.outcomes = outcomes;
        this.meters = meters;
    }

    @Incoming(COMMANDS)
    public Uni<Void> consume(KafkaRecordBatch<String, UserCommand> batch) {
        List<UserCommandBatch.Pending> commands = new ArrayList<>();
        List<Uni<Void>> parked = new ArrayList<>();
        for (KafkaRecord<String, UserCommand> record : batch.getRecords()) {
            if (record.getPayload() == null) {
                // Unreadable: nacking it alone parks it on the dead-letter topic; its neighbours go on.
                parked.add(Uni.createFrom().completionStage(
                        record.nack(new IllegalArgumentException("not a readable user command"))));
            } else {
                commands.add(new UserCommandBatch.Pending(record.getPayload(), OutboxTrace.traceparent(record.getHeaders())));
            }
        }
        Uni<Void> parking = parked.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(parked).andFailFast()
                .replaceWithVoid();
        return parking
                .chain(() -> applier.apply(commands)
                        .onFailure().invoke(failure -> LOG.warnf("%d user commands could not be applied (%s); retrying",
                                commands.size(), failure.toString()))
                        .onFailure().retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).indefinitely())
                .chain(applied -> publish(commands, applied)
                        .onFailure().retry().withBackOff(FIRST_RETRY, LONGEST_RETRY).indefinitely()
                        .invoke(() -> count(commands, applied)))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /**
     * {@code scim_commands_total} by command type, result and failure reason (labels carry no tenant data), counted
     * once the outcomes are published: what operators alert on when an IdP's changes start being refused.
     */
    private void count(List<UserCommandBatch.Pending> commands, List<CommandOutcome> applied) {
        for (int i = 0; i < applied.size(); i++) {
            CommandOutcome outcome = applied.get(i);
            meters.counter("scim_commands_total", "resource", "user",
                    "type", commands.get(i).command().type().name().toLowerCase(Locale.ROOT),
                    "result", outcome.status().name().toLowerCase(Locale.ROOT),
                    "reason", outcome.failure() == null ? "none" : outcome.failure().reason().name().toLowerCase(Locale.ROOT))
                    .increment();
        }
    }

    /** Every outcome, keyed by connection and carrying its command's trace context, acknowledged by Kafka. */
    private Uni<Void> publish(List<UserCommandBatch.Pending> commands, List<CommandOutcome> applied) {
        if (applied.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sent = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
            CommandOutcome outcome = applied.get(i);
            String traceparent = commands.get(i).traceparent();
            RecordHeaders headers = new RecordHeaders();
            if (traceparent != null) {
                headers.add(CloudEventHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
            }
            sent.add(outcomes.sendMessage(Message.of(outcome).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(commands.get(i).command().connectionId()).withHeaders(headers).build())));
        }
        return Uni.join().all(sent).andFailFast().replaceWithVoid();
    }
}
