package dev.scimsync.gateway.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.gateway.groupsync.GroupSyncClient;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.ScimException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Sends a command to Kafka (keyed by connection, so one tenant's commands stay in order) and waits for its
 * committed outcome. If the outcome does not arrive in time, it asks the owning service (membership-service
 * for users, group-sync-service for groups) once whether the command was applied before answering 503, so a
 * slow reply never turns a committed write into an error.
 */
@ApplicationScoped
public class CommandDispatcher {

    public static final String USER_COMMANDS = "user-commands";
    public static final String GROUP_COMMANDS = "group-commands";
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final Duration COMMITTED_CHECK_TIMEOUT = Duration.ofSeconds(2);

    /**
     * One command on its way: how to send it and how to ask its owner for the outcome.
     *
     * @param resource user or group, a metric tag
     * @param type     the command type, a metric tag
     */
    private record Dispatch(UUID commandId, String resource, String type, Supplier<Uni<Void>> send,
            Supplier<Uni<Response>> committedOutcome) {
    }

    private final MutinyEmitter<Record<String, UserCommand>> userCommands;
    private final MutinyEmitter<Record<String, GroupCommand>> groupCommands;
    private final PendingOutcomes pending;
    private final MembershipClient membership;
    private final GroupSyncClient groupSync;
    private final Duration outcomeTimeout;
    private final MeterRegistry meters;

    public CommandDispatcher(@Channel(USER_COMMANDS) MutinyEmitter<Record<String, UserCommand>> userCommands,
            @Channel(GROUP_COMMANDS) MutinyEmitter<Record<String, GroupCommand>> groupCommands,
            PendingOutcomes pending, @RestClient MembershipClient membership, @RestClient GroupSyncClient groupSync,
            @ConfigProperty(name = "scim.outcome-timeout") Duration outcomeTimeout, MeterRegistry meters) {
        this.userCommands = userCommands;
        this.groupCommands = groupCommands;
        this.pending = pending;
        this.membership = membership;
        this.groupSync = groupSync;
        this.outcomeTimeout = outcomeTimeout;
        this.meters = meters;
    }

    public Uni<CommandOutcome> dispatch(UserCommand command) {
        String id = command.commandId().toString();
        return dispatch(new Dispatch(command.commandId(), "user", command.type().name(),
                () -> userCommands.send(Record.of(command.connectionId(), command)),
                () -> membership.commandOutcome(id)));
    }

    public Uni<CommandOutcome> dispatch(GroupCommand command) {
        String id = command.commandId().toString();
        return dispatch(new Dispatch(command.commandId(), "group", command.type().name(),
                () -> groupCommands.send(Record.of(command.connectionId(), command)),
                () -> groupSync.commandOutcome(id)));
    }

    /**
     * Sends the command and waits for its outcome; {@code scim_command_outcome_seconds} times the wait by
     * resource, command type and result (labels carry no tenant data).
     */
    private Uni<CommandOutcome> dispatch(Dispatch dispatch) {
        Timer.Sample sample = Timer.start(meters);
        return send(dispatch).invoke(outcome -> sample.stop(timer(dispatch, outcome.status().name())))
                .onFailure().invoke(failure -> sample.stop(timer(dispatch, "unavailable")));
    }

    private Timer timer(Dispatch dispatch, String result) {
        return Timer.builder("scim_command_outcome_seconds")
                .description("From publishing a command to its committed outcome, as the gateway waits for it")
                .tag("resource", dispatch.resource())
                .tag("type", dispatch.type().toLowerCase(Locale.ROOT))
                .tag("result", result.toLowerCase(Locale.ROOT))
                .publishPercentileHistogram()
                .register(meters);
    }

    /** The wait is registered on subscription, before the send, and always removed afterwards. */
    private Uni<CommandOutcome> send(Dispatch dispatch) {
        return Uni.createFrom().deferred(() -> {
            var outcome = pending.register(dispatch.commandId());
            return dispatch.send().get()
                    .onFailure().transform(failure -> {
                        LOG.warnf(failure, "could not publish command %s", dispatch.commandId());
                        return ScimException.unavailable("the request could not be queued; retry later",
                                RETRY_AFTER_SECONDS);
                    })
                    .chain(() -> Uni.createFrom().completionStage(outcome));
        })
                .ifNoItem().after(outcomeTimeout).recoverWithUni(() -> committedOutcome(dispatch))
                .eventually(() -> pending.forget(dispatch.commandId()));
    }

    private Uni<CommandOutcome> committedOutcome(Dispatch dispatch) {
        // The owner is asked briefly: when it is down or its database restarts, the IdP hears 503 now
        // rather than after the REST client's read timeout.
        return Uni.createFrom().deferred(() -> dispatch.committedOutcome().get())
                .ifNoItem().after(COMMITTED_CHECK_TIMEOUT).recoverWithItem(() -> null)
                .onFailure().recoverWithNull()
                .map(answer -> {
                    if (answer != null && answer.getStatus() == 200) {
                        return answer.readEntity(CommandOutcome.class);
                    }
                    LOG.warnf("no outcome for command %s within %s", dispatch.commandId(), outcomeTimeout);
                    throw ScimException.unavailable("the request was accepted but not yet applied within "
                            + outcomeTimeout.toSeconds() + " s; retry it", RETRY_AFTER_SECONDS);
                });
    }
}
