package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.membership.domain.UserCommandBatch;
import dev.scimsync.outbox.OutboxTrace;
import dev.scimsync.runtime.PollsAppliedTogether;
import dev.scimsync.runtime.Retry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes user commands a poll at a time, applies them in one transaction, and publishes each outcome once that
 * transaction has committed. Polls that arrive while earlier ones are applied are applied together
 * ({@link PollsAppliedTogether}), in their order, so each tenant's commands keep theirs. The polls' offsets are
 * committed only after every outcome is written to Kafka, so a crash in between redelivers the commands and they
 * are answered from their processed-command records.
 */
@ApplicationScoped
public class UserCommandConsumer {

    public static final String COMMANDS = "user-commands";
    private static final Logger LOG = Logger.getLogger(UserCommandConsumer.class);

    private final UserCommandApplier applier;
    private final CommandOutcomePublisher outcomes;
    private final MeterRegistry meters;
    private final PollsAppliedTogether<KafkaRecordBatch<String, UserCommand>> polls;
    private final DistributionSummary groupSizes;
    private final Timer applying;
    private final Timer publishing;
    private final Timer acknowledging;

    public UserCommandConsumer(UserCommandApplier applier, CommandOutcomePublisher outcomes, MeterRegistry meters,
            @ConfigProperty(name = "mp.messaging.incoming.user-commands.max.poll.records") int maxPollRecords) {
        this.applier = applier;
        this.outcomes = outcomes;
        this.meters = meters;
        // One group of polls is applied at a time, and every create waits for its group's three steps: how full the
        // groups are and how long each step takes say whether this loop or the machine limits a sync's rate.
        this.groupSizes = DistributionSummary.builder("scim_command_batch_commands")
                .description("User commands applied together in one transaction").tag("resource", "user")
                .register(meters);
        this.applying = batchStep(meters, "apply");
        this.publishing = batchStep(meters, "publish");
        this.acknowledging = batchStep(meters, "acknowledge");
        // A group is at most one full poll; four full polls held hold the connector back.
        this.polls = new PollsAppliedTogether<>(batch -> batch.getRecords().size(), this::applyTogether,
                maxPollRecords, 4 * maxPollRecords);
    }

    @Incoming(COMMANDS)
    public Uni<Void> consume(KafkaRecordBatch<String, UserCommand> batch) {
        return polls.offer(batch);
    }

    private Uni<Void> applyTogether(List<KafkaRecordBatch<String, UserCommand>> batches) {
        List<UserCommandBatch.Pending> commands = new ArrayList<>();
        List<Uni<Void>> parked = new ArrayList<>();
        for (KafkaRecordBatch<String, UserCommand> batch : batches) {
            for (KafkaRecord<String, UserCommand> record : batch.getRecords()) {
                if (record.getPayload() == null) {
                    // Unreadable: nacking it alone parks it on the dead-letter topic; its neighbours go on.
                    // Parked as an outcome is published: retried while Kafka cannot take it, never failing the
                    // polls taken with it.
                    parked.add(Uni.createFrom().completionStage(
                            () -> record.nack(new IllegalArgumentException("not a readable user command")))
                            .plug(Retry::untilItSucceeds));
                } else {
                    commands.add(new UserCommandBatch.Pending(record.getPayload(),
                            OutboxTrace.traceparent(record.getHeaders())));
                }
            }
        }
        groupSizes.record(commands.size());
        Uni<Void> parking = parked.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(parked).andFailFast()
                .replaceWithVoid();
        return parking
                .chain(() -> timed(applying, () -> applier.apply(commands)
                        .onFailure().invoke(failure -> LOG.warnf("%d user commands could not be applied (%s); retrying",
                                commands.size(), failure.toString()))
                        .plug(Retry::untilItSucceeds)))
                .chain(applied -> timed(publishing, () -> outcomes.publish(commands, applied)
                        .plug(Retry::untilItSucceeds))
                        .invoke(() -> count(commands, applied)))
                // Every step before retries until it succeeds. Were an acknowledgement to fail anyway, the polls are
                // not nacked - that would send commands already applied to the dead-letter topic - but left
                // unacknowledged (PollsAppliedTogether logs it): their offsets are not committed, and after a restart
                // they come again and are answered from their processed-command records.
                .chain(() -> timed(acknowledging, () -> acknowledge(batches, 0)));
    }

    /** {@code scim_command_batch_seconds{resource="user", phase}}: one step of applying a group, retries included. */
    private static Timer batchStep(MeterRegistry meters, String phase) {
        return Timer.builder("scim_command_batch").description("One step of applying a group of user commands")
                .tag("resource", "user").tag("phase", phase).register(meters);
    }

    private <T> Uni<T> timed(Timer timer, Supplier<Uni<T>> step) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample started = Timer.start(meters);
            return step.get().invoke(() -> started.stop(timer));
        });
    }

    /** One poll after another, in the order they were taken. */
    private static Uni<Void> acknowledge(List<KafkaRecordBatch<String, UserCommand>> batches, int from) {
        return from == batches.size() ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(batches.get(from).ack()).chain(() -> acknowledge(batches, from + 1));
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
}
