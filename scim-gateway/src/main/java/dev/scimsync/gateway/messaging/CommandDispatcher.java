package dev.scimsync.gateway.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.ScimException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Sends a command to Kafka (keyed by connection, so one tenant's commands stay in order) and waits for its
 * committed outcome. If the outcome does not arrive in time, it asks the owning service once whether the
 * command was applied before answering 503, so a slow reply never turns a committed write into an error.
 */
@ApplicationScoped
public class CommandDispatcher {

    public static final String USER_COMMANDS = "user-commands";
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    private final MutinyEmitter<Record<String, UserCommand>> userCommands;
    private final PendingOutcomes pending;
    private final MembershipClient membership;
    private final Duration outcomeTimeout;
    private final MeterRegistry meters;

    public CommandDispatcher(@Channel(USER_COMMANDS) MutinyEmitter<Record<String, UserCommand>> userCommands,
            PendingOutcomes pending, @RestClient MembershipClient membership,
            @ConfigProperty(name = "scim.outcome-timeout") Duration outcomeTimeout, MeterRegistry meters) {
        this.userCommands = userCommands;
        this.pending = pending;
        this.membership = membership;
        this.outcomeTimeout = outcomeTimeout;
        this.meters = meters;
    }

    /**
     * Sends the command and waits for its outcome; {@code scim_command_outcome_seconds} times the wait by
     * command type and result (labels carry no tenant data).
     */
    public Uni<CommandOutcome> dispatch(UserCommand command) {
        Timer.Sample sample = Timer.start(meters);
        return send(command).invoke(outcome -> sample.stop(timer(command, outcome.status().name())))
                .onFailure().invoke(failure -> sample.stop(timer(command, "unavailable")));
    }

    private Timer timer(UserCommand command, String result) {
        return Timer.builder("scim_command_outcome_seconds")
                .description("From publishing a command to its committed outcome, as the gateway waits for it")
                .tag("type", command.type().name().toLowerCase(java.util.Locale.ROOT))
                .tag("result", result.toLowerCase(java.util.Locale.ROOT))
                .publishPercentileHistogram()
                .register(meters);
    }

    /** The wait is registered on subscription, before the send, and always removed afterwards. */
    private Uni<CommandOutcome> send(UserCommand command) {
        return Uni.createFrom().deferred(() -> {
            var outcome = pending.register(command.commandId());
            return userCommands.send(Record.of(command.connectionId(), command))
                    .onFailure().transform(failure -> {
                        LOG.warnf(failure, "could not publish command %s", command.commandId());
                        return ScimException.unavailable("the request could not be queued; retry later",
                                RETRY_AFTER_SECONDS);
                    })
                    .chain(() -> Uni.createFrom().completionStage(outcome));
        })
                .ifNoItem().after(outcomeTimeout).recoverWithUni(() -> committedOutcome(command))
                .eventually(() -> pending.forget(command.commandId()));
    }

    private Uni<CommandOutcome> committedOutcome(UserCommand command) {
        return membership.commandOutcome(command.commandId().toString())
                .onFailure().recoverWithNull()
                .map(answer -> {
                    if (answer != null && answer.getStatus() == 200) {
                        return answer.readEntity(CommandOutcome.class);
                    }
                    LOG.warnf("no outcome for command %s within %s", command.commandId(), outcomeTimeout);
                    throw ScimException.unavailable("the request was accepted but not yet applied within "
                            + outcomeTimeout.toSeconds() + " s; retry it", RETRY_AFTER_SECONDS);
                });
    }
}
