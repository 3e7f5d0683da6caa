package dev.scimsync.gateway.groupsync;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes one groups lookup, for a user and connection nobody has, as the gateway starts. An initial sync never
 * asks group-sync-service anything (its lookups find nobody, its users are in no group yet), so otherwise the
 * IdP's first reads of existing users - right after the sync - are the first calls of the gateway's life to that
 * service and pay, all at once, for the connection, the service token, and both sides' first run of the
 * endpoint: about 0.4 s for one lookup on an idle stack, and every lookup arriving meanwhile waited up to 2.5 s
 * under load (docs/performance.md, 2026-12-01 "the stall after a sync"). Never holds up the start: the lookup
 * runs in the background and is retried while group-sync-service is not up yet.
 */
@ApplicationScoped
public class GroupLookupWarmUp {

    private static final Logger LOG = Logger.getLogger(GroupLookupWarmUp.class);
    private static final int ATTEMPTS = 12;

    private final UserGroups userGroups;
    private final boolean enabled;

    public GroupLookupWarmUp(UserGroups userGroups,
            @ConfigProperty(name = "scim.group-lookup-warm-up.enabled") boolean enabled) {
        this.userGroups = userGroups;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent start) {
        if (!enabled) {
            return;
        }
        userGroups.ask(UUID.randomUUID().toString(), List.of(UUID.randomUUID().toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).atMost(ATTEMPTS)
                .subscribe().with(
                        groups -> LOG.debug("group-sync-service's groups lookup made once at start-up"),
                        failure -> LOG.infof("the start-up groups lookup did not reach group-sync-service (%s); "
                                + "the first real one will be slower", failure.toString()));
    }
}
