package dev.scimsync.gateway.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.gateway.groupsync.GroupSyncClient;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Sends a command to Kafka (keyed by connection, so one tenant's commands stay in order) and waits for its
 * committed outcome. If the outcome does not arrive in time, it asks the owning service (membership-service
 * for users, group-sync-service for groups) once whether the command was applied before answering 503, so a
 * slow reply never turns a committed write into an error.
 * <p>
 * A command over its budget ({@code scim.limits.user-command-bytes}, {@code group-command-bytes}) is answered
 * 413 and never sent: Kafka would refuse it, and a 503 would have the IdP retry it for hours. The budgets are
 * checked against the producers' {@code max.request.size} at start-up.
 */
@ApplicationScoped
public class CommandDispatcher {

    public static final String USER_COMMANDS = "user-commands";
    public static final String GROUP_COMMANDS = "group-commands";
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final Duration COMMITTED_CHECK_TIMEOUT = Duration.ofSeconds(2);
    /** Room left below max.request.size for a record's key, headers and framing beside the command. */
    private static final int RECORD_OVERHEAD_BYTES = 16 * 1024;

    /**
     * One command on its way: how to send it and how to ask its owner for the outcome.
     *
     * @param resource user or group, a metric tag
     * @param type     the command type, a metric tag
     */
    private record Dispatch(UUID commandId, String resource, String type, Supplier<Uni<Void>> send,
            Supplier<Uni<Response>> committedOutcome) {
    }

    private final MutinyEmitter<Record<String, byte[]>> userCommands;
    private final MutinyEmitter<Record<String, byte[]>> groupCommands;
    private final PendingOutcomes pending;
    private final MembershipClient membership;
    private final GroupSyncClient groupSync;
    private final Duration outcomeTimeout;
    private final Duration sendLimit;
    private final MeterRegistry meters;
    private final ScimLimits limits;
    private final int userMaxRequestSize;
    private final int groupMaxRequestSize;

    public CommandDispatcher(@Channel(USER_COMMANDS) MutinyEmitter<Record<String, byte[]>> userCommands,
            @Channel(GROUP_COMMANDS) MutinyEmitter<Record<String, byte[]>> groupCommands,
            PendingOutcomes pending, @RestClient MembershipClient membership, @RestClient GroupSyncClient groupSync,
            @ConfigProperty(name = "scim.outcome-timeout") Duration outcomeTimeout, MeterRegistry meters,
            ScimLimits limits,
            @ConfigProperty(name = "mp.messaging.outgoing." + USER_COMMANDS + ".max.request.size") int userMaxRequestSize,
            @ConfigProperty(name = "mp.messaging.outgoing." + GROUP_COMMANDS + ".max.request.size") int groupMaxRequestSize,
            @ConfigProperty(name = "commands.max-block-ms") long maxBlockMs,
            @ConfigProperty(name = "commands.delivery-timeout-ms") long deliveryMs) {
        this.userCommands = userCommands;
        this.groupCommands = groupCommands;
        this.pending = pending;
        this.membership = membership;
        this.groupSync = groupSync;
        this.outcomeTimeout = outcomeTimeout;
        // The longest one send of either command producer takes (both have these bounds), and a second for the rest.
        this.sendLimit = Duration.ofMillis(maxBlockMs + deliveryMs + 1000);
        this.meters = meters;
        this.limits = limits;
        this.userMaxRequestSize = userMaxRequestSize;
        this.groupMaxRequestSize = groupMaxRequestSize;
    }

    /** A budget the producer would not send up to is a configuration error: the gateway does not start. */
    void checkBudgets(@Observes StartupEvent start) {
        requireBelow("scim.limits.user-command-bytes", limits.userCommandBytes(), USER_COMMANDS, userMaxRequestSize);
        requireBelow("scim.limits.group-command-bytes", limits.groupCommandBytes(), GROUP_COMMANDS,
                groupMaxRequestSize);
    }

    static void requireBelow(String budget, int bytes, String channel, int maxRequestSize) {
        // The record also carries its key, headers (trace context) and framing.
        if (bytes + RECORD_OVERHEAD_BYTES > maxRequestSize) {
            throw new IllegalStateException(budget + " (" + bytes + ") leaves less than " + RECORD_OVERHEAD_BYTES
                    + " bytes below the max.request.size of " + channel + " (" + maxRequestSize + ")");
        }
    }

    /**
     * Throws the 413 that {@link #dispatch(UserCommand)} would answer for a command this size: for a write that asks
     * membership-service something first, so that an oversized body is refused before any call.
     */
    public void requireWithinBudget(UserCommand command) {
        Optional<ScimException> overBudget = overBudget(ContractJson.write(command), limits.userCommandBytes(),
                "the user's attributes");
        if (overBudget.isPresent()) {
            throw overBudget.get();
        }
    }

    public Uni<CommandOutcome> dispatch(UserCommand command) {
        byte[] value = ContractJson.write(command);
        Optional<ScimException> overBudget = overBudget(value, limits.userCommandBytes(), "the user's attributes");
        if (overBudget.isPresent()) {
            return Uni.createFrom().failure(overBudget.get());
        }
        String id = command.commandId().toString();
        return dispatch(new Dispatch(command.commandId(), "user", command.type().name(),
                () -> userCommands.send(Record.of(command.connectionId(), value)),
                () -> membership.commandOutcome(id)));
    }

    public Uni<CommandOutcome> dispatch(GroupCommand command) {
        byte[] value = ContractJson.write(command);
        Optional<ScimException> overBudget = overBudget(value, limits.groupCommandBytes(), "the group's changes");
        if (overBudget.isPresent()) {
            return Uni.createFrom().failure(overBudget.get());
        }
        String id = command.commandId().toString();
        return dispatch(new Dispatch(command.commandId(), "group", command.type().name(),
                () -> groupCommands.send(Record.of(command.connectionId(), value)),
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

    /**
     * The wait is registered on subscription, before the send, and always removed afterwards. Its end - the outcome
     * from the Kafka consumer's context, a timeout from Mutiny's scheduler, the owner's answer from the REST client -
     * is handed back to the Vert.x context of the request that subscribed: the request's chain, and its CDI request
     * context, go on where they belong instead of on whichever thread delivered it (CI saw a Bulk request end in a
     * ContextNotActiveException when RESTEasy resumed it, 2026-12-01).
     */
    private Uni<CommandOutcome> send(Dispatch dispatch) {
        return Uni.createFrom().deferred(() -> {
            Executor backToTheCaller = onTheCallersContext();
            var outcome = pending.register(dispatch.commandId());
            Uni<Void> sent = dispatch.send().get().onFailure().invoke(failure -> LOG.warnf(failure,
                    "could not publish command %s", dispatch.commandId()));
            return outcomeOnceSent(sent, outcome, sendLimit, outcomeTimeout, () -> committedOutcome(dispatch))
                    .eventually(() -> pending.forget(dispatch.commandId()))
                    .emitOn(backToTheCaller);
        });
    }

    /**
     * The command's outcome, waited for up to {@code outcomeTimeout} from the start, but not answered while the send
     * is unresolved: a command answered 503 while it was still in the producer could reach the topic after a newer
     * write that another gateway instance sent and answered 2xx - an old PUT re-activating a user the IdP has since
     * deactivated, a group's old "add" after its acknowledged "remove". Once Kafka has taken the command, every later
     * write of the same connection is behind it in the partition; if Kafka refuses it, it is never applied. The
     * producers' {@code max.block.ms} and {@code delivery.timeout.ms} bound one send ({@code sendLimit}, their sum and
     * a second); a send still unresolved after that (sends queued behind others that each wait for the topic's
     * metadata) is answered 503 all the same, so that no request hangs. A send that failed after its command was
     * applied (the broker answered after the producer's request timeout) is answered with the outcome, if it has
     * arrived.
     */
    static Uni<CommandOutcome> outcomeOnceSent(Uni<Void> send, CompletionStage<CommandOutcome> outcome,
            Duration sendLimit, Duration outcomeTimeout, Supplier<Uni<? extends CommandOutcome>> committedOutcome) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return send.ifNoItem().after(sendLimit).failWith(() -> new TimeoutException(
                            "the producer did not take the command within " + sendLimit.toMillis() + " ms"))
                    .onFailure().recoverWithUni(failure -> {
                        CompletableFuture<CommandOutcome> arrived = outcome.toCompletableFuture();
                        return arrived.isDone() && !arrived.isCompletedExceptionally()
                                ? Uni.createFrom().item(arrived.join()).replaceWithVoid()
                                : Uni.createFrom().failure(publishFailure(failure));
                    })
                    .chain(() -> Uni.createFrom().completionStage(outcome)
                            .ifNoItem().after(timeLeft(outcomeTimeout, started)).recoverWithUni(committedOutcome));
        });
    }

    /** What is left of the wait once the send is through; at least a millisecond, to take an outcome already in. */
    private static Duration timeLeft(Duration wait, long startedNanos) {
        Duration left = wait.minusNanos(System.nanoTime() - startedNanos);
        return left.toMillis() < 1 ? Duration.ofMillis(1) : left;
    }

    /** Runs a task on the Vert.x context current where this is called, or at once where there is none. */
    public static Executor onTheCallersContext() {
        Context caller = Vertx.currentContext();
        return caller == null ? Runnable::run : task -> caller.runOnContext(ignored -> task.run());
    }

    /**
     * 413 when the command, as it will be sent, is over its budget: nothing is sent that Kafka would refuse. The
     * bytes checked are the bytes sent (the channels' serializer passes them through): a command is written once.
     */
    private static Optional<ScimException> overBudget(byte[] value, int budget, String what) {
        int bytes = value.length;
        if (bytes <= budget) {
            return Optional.empty();
        }
        return Optional.of(ScimException.tooLarge(what + " make a command of " + bytes + " bytes; at most " + budget
                + " are accepted"));
    }

    /**
     * What the IdP hears when a command could not be published: a record Kafka refuses for its size is the
     * request's fault and answered 413 (the budgets should have caught it, but the broker's limit may be set
     * lower than the producer's); anything else is the broker's and answered 503 with Retry-After.
     */
    static ScimException publishFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
                return ScimException.tooLarge("the request makes a command larger than the message broker accepts");
            }
        }
        return ScimException.unavailable("the request could not be queued; retry later", RETRY_AFTER_SECONDS);
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
