package dev.scimsync.gateway.groupsync;

import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.internal.UserIds;
import dev.scimsync.contracts.internal.UserNameGroups;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The groups of users, for their read-only {@code groups} attribute: one call to group-sync-service per
 * response, however many users it shows. Users must stay readable when group-sync-service is not, so a
 * failed or slow lookup yields no groups (the attribute is left out) and a warning.
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

    private final GroupSyncClient groupSync;
    private final Duration timeout;
    /** This gateway's calls to group-sync-service that have been made and are not answered, failed or given up yet. */
    private final AtomicInteger waiting = new AtomicInteger();

    public UserGroups(@RestClient GroupSyncClient groupSync,
            @ConfigProperty(name = "scim.user-groups-timeout") Duration timeout) {
        this.groupSync = groupSync;
        this.timeout = timeout;
    }

    /** User id to its groups ({@code value} = group id, {@code display} = its name); users in no group are absent. */
    public Uni<Map<String, List<GroupMember>>> of(String connectionId, List<String> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return ask(connectionId, userIds)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("groups of users could not be looked up (%s); users are shown without groups",
                            failure.toString());
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
                    LOG.warnf("groups of a user could not be looked up by userName (%s); the user is shown without "
                            + "groups", failure.toString());
                    return Optional.empty();
                });
    }

    /**
     * A call to group-sync-service, made on subscription and failed when no answer comes within the timeout; counted in
     * {@link #waiting} from its subscription to its answer, failure or cancellation (the timeout's included).
     */
    private Uni<Response> call(Supplier<Uni<? extends Response>> call) {
        return Uni.createFrom().deferred(call)
                .onSubscription().invoke(waiting::incrementAndGet).onTermination().invoke(waiting::decrementAndGet)
                .ifNoItem().after(timeout).fail();
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
