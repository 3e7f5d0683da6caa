package dev.scimsync.gateway.groupsync;

import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.internal.UserIds;
import dev.scimsync.contracts.internal.UserNameGroups;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The groups of users, for their read-only {@code groups} attribute: one call to group-sync-service per
 * response, however many users it shows. Users must stay readable when group-sync-service is not, so a
 * failed or slow lookup yields no groups (the attribute is left out) and a warning.
 * <p>
 * A group-sync-service that stops answering must not hold every read of a user for the timeout, nor have the gateway
 * pile calls onto it: {@link #CALLS_AT_ONCE} calls wait for it at a time and further reads show their users without
 * groups at once, and a {@link #GUARD circuit breaker} (SmallRye Fault Tolerance) stops calling it for a pause
 * ({@code scim.user-groups-pause}) once most of the latest calls failed, timed out or found that many waiting, then
 * tries one call before calling it again. An answer of any status counts as answered: it came back at once, so
 * waiting for the next one costs nothing.
 */
@ApplicationScoped
public class UserGroups {

    private static final Logger LOG = Logger.getLogger(UserGroups.class);
    private static final GenericType<Map<String, List<GroupMember>>> GROUPS_BY_USER = new GenericType<>() {
    };

    /**
     * Calls at most waiting for group-sync-service's answer for {@link #answersPromptly}: at the rate of an IdP's
     * lookups one or two wait at a time; more means group-sync-service has slowed down.
     */
    static final int PROMPT_CALLS_WAITING = 8;

    /** The guard's name: its metrics' {@code method} tag and its circuit breaker's name. */
    public static final String GUARD = "group-sync-user-groups";
    /**
     * Calls waiting for group-sync-service at a time: an IdP's reads wait one or two at a time; calls past this would
     * wait behind ones it is not answering.
     */
    public static final int CALLS_AT_ONCE = 32;
    /** Of the latest this many calls, half failed or timed out: the circuit breaker opens. */
    static final int CALLS_JUDGED = 20;

    private final GroupSyncClient groupSync;
    private final Duration timeout;
    private final TypedGuard<Uni<Response>> guard;
    /** This gateway's calls to group-sync-service that have been made and are not answered, failed or given up yet. */
    private final AtomicInteger waiting = new AtomicInteger();

    public UserGroups(@RestClient GroupSyncClient groupSync,
            @ConfigProperty(name = "scim.user-groups-timeout") Duration timeout,
            @Identifier(GUARD) TypedGuard<Uni<Response>> guard) {
        this.groupSync = groupSync;
        this.timeout = timeout;
        this.guard = guard;
    }

    /**
     * The circuit breaker of every users' groups call; the call's own timeout and limit are inside it (a timed-out or
     * refused call counts as failed), and a call it prevents fails at once, so the user is shown without groups.
     */
    @Produces
    @Singleton
    @Identifier(GUARD)
    static TypedGuard<Uni<Response>> guard(@ConfigProperty(name = "scim.user-groups-pause") Duration pause) {
        return TypedGuard.create(new TypeLiteral<Uni<Response>>() {
        }).withDescription(GUARD)
                .withCircuitBreaker().name(GUARD).requestVolumeThreshold(CALLS_JUDGED).failureRatio(0.5)
                .delay(pause.toMillis(), ChronoUnit.MILLIS).successThreshold(1)
                .onStateChange(state -> logState(state, pause)).done()
                .build();
    }

    private static void logState(CircuitBreakerState state, Duration pause) {
        switch (state) {
            case OPEN -> LOG.warnf("most of the latest groups lookups to group-sync-service failed or timed out: users "
                    + "are shown without groups for %s, then one lookup tries again", pause);
            case CLOSED -> LOG.info("group-sync-service answers groups lookups again");
            default -> {
            }
        }
    }

    /** User id to its groups ({@code value} = group id, {@code display} = its name); users in no group are absent. */
    public Uni<Map<String, List<GroupMember>>> of(String connectionId, List<String> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return ask(connectionId, userIds)
                .onFailure().recoverWithItem(failure -> {
                    shownWithoutGroups("groups of users could not be looked up (%s); users are shown without groups",
                            failure);
                    return Map.of();
                });
    }

    /**
     * Whether group-sync-service is answering promptly, so that a call made on a guess - one whose answer may go
     * unused - adds no load when it is not: with calls queuing up behind a slow group-sync-service, each lookup asks
     * only when it knows whom for ({@link #of}), as before the guess.
     */
    public boolean answersPromptly() {
        return waiting.get() < PROMPT_CALLS_WAITING;
    }

    /**
     * The connection's user of that userName with its groups, asked before membership-service has said whom the name
     * belongs to. {@link UserNameGroups#UNKNOWN} when group-sync-service knows no single user of that name or answers
     * other than 200 (one that predates the question, during an upgrade): the caller then asks by the found user's
     * id. Empty when it cannot be reached or is slow: the user is shown without groups, as {@link #of} shows it.
     */
    public Uni<Optional<UserNameGroups>> ofUserName(String connectionId, String userName) {
        return call(() -> groupSync.groupsOfUserName(connectionId, new UserNameGroups.Request(userName)))
                .map(answer -> Optional.of(answer.getStatus() == 200 ? answer.readEntity(UserNameGroups.class)
                        : UserNameGroups.UNKNOWN))
                .onFailure().recoverWithItem(failure -> {
                    shownWithoutGroups("groups of a user could not be looked up by userName (%s); the user is shown "
                            + "without groups", failure);
                    return Optional.empty();
                });
    }

    /**
     * A warning per failed call. A call not made - the circuit breaker open, or {@link #CALLS_AT_ONCE} waiting - is only
     * debug: the breaker's opening, and the timeouts of the calls waiting, are the warnings.
     */
    private static void shownWithoutGroups(String message, Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException || failure instanceof BulkheadException) {
            LOG.debugf(message, failure.toString());
        } else {
            LOG.warnf(message, failure.toString());
        }
    }

    /**
     * A call to group-sync-service through the circuit breaker, made on subscription unless too many wait already, and
     * failed when no answer comes within the timeout; counted in {@link #waiting} from its start to its answer, failure
     * or cancellation (the timeout's included).
     */
    private Uni<Response> call(Supplier<Uni<? extends Response>> call) {
        // The timeout inside the guard: the guard does not pass a cancellation on to what it guards, and the timeout's
        // cancellation is what lets go of the call's connection.
        return guard.get(() -> Uni.createFrom().deferred(() -> {
            if (!startCall()) {
                return Uni.createFrom().failure(new BulkheadException(
                        CALLS_AT_ONCE + " calls to group-sync-service are already waiting"));
            }
            return Uni.createFrom().<Response>deferred(call).onTermination().invoke(waiting::decrementAndGet)
                    .ifNoItem().after(timeout).fail();
        }));
    }

    /**
     * Counts a call in {@link #waiting} unless {@link #CALLS_AT_ONCE} already wait. No queue: a call queued behind ones
     * group-sync-service is not answering would wait out its timeout and then still be made.
     */
    private boolean startCall() {
        int calls;
        do {
            calls = waiting.get();
            if (calls >= CALLS_AT_ONCE) {
                return false;
            }
        } while (!waiting.compareAndSet(calls, calls + 1));
        return true;
    }

    /** The lookup itself: fails when group-sync-service cannot be reached, is slow, or answers other than 200. */
    Uni<Map<String, List<GroupMember>>> ask(String connectionId, List<String> userIds) {
        return call(() -> groupSync.groupsOfUsers(connectionId, new UserIds(userIds)))
                .map(answer -> {
                    if (answer.getStatus() != 200) {
                        throw new IllegalStateException("group-sync-service answered " + answer.getStatus()
                                + " to a groups lookup");
                    }
                    return answer.readEntity(GROUPS_BY_USER);
                });
    }
}
