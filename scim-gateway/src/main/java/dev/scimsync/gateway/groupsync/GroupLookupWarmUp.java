package dev.scimsync.gateway.groupsync;

import dev.scimsync.contracts.GroupMember;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes groups lookups, for users and a connection nobody has, as the gateway starts. An initial sync never asks
 * group-sync-service anything (its lookups find nobody, its users are in no group yet), so otherwise the IdP's
 * first reads of existing users - right after the sync - are the first calls of the gateway's life to that service:
 * the first one pays for the connection and the service token (about 0.4 s on an idle stack), and the next
 * hundreds run both sides' endpoint code in the interpreter while the JIT compiles it, at the rate the IdP reads -
 * every lookup arriving meanwhile waited up to 2.5 s under load (docs/performance.md, 2026-12-01 "the stall after a
 * sync"). So the first lookup is retried while group-sync-service is not up yet, and once it answers, the rest of
 * {@code scim.group-lookup-warm-up.lookups} (0: none) follow one at a time. Never holds up the start: all of it runs in the
 * background, and a failure after the first ends it (logged).
 */
@ApplicationScoped
public class GroupLookupWarmUp {

    private static final Logger LOG = Logger.getLogger(GroupLookupWarmUp.class);
    private static final int ATTEMPTS = 12;

    private final UserGroups userGroups;
    private final int lookups;

    public GroupLookupWarmUp(UserGroups userGroups,
            @ConfigProperty(name = "scim.group-lookup-warm-up.lookups") int lookups) {
        this.userGroups = userGroups;
        this.lookups = lookups;
    }

    void onStart(@Observes StartupEvent start) {
        if (lookups < 1) {
            return;
        }
        String connection = UUID.randomUUID().toString();
        lookUp(connection)
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).atMost(ATTEMPTS)
                .onItem().transformToUni(first -> Multi.createFrom().range(1, lookups)
                        .onItem().transformToUniAndConcatenate(i -> lookUp(connection))
                        .collect().last())
                .subscribe().with(
                        done -> LOG.debugf("%d groups lookups made to group-sync-service at start-up", lookups),
                        failure -> LOG.infof("the start-up groups lookups did not all reach group-sync-service (%s); "
                                + "the first real ones will be slower", failure.toString()));
    }

    private Uni<Map<String, List<GroupMember>>> lookUp(String connection) {
        return userGroups.ask(connection, List.of(UUID.randomUUID().toString()));
    }
}
