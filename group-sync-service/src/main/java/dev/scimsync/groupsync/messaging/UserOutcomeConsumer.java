package dev.scimsync.groupsync.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.groupsync.persistence.UserDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows membership-service's committed user outcomes: a deactivated user stays in its groups but leaves
 * their teams (teams list active users only), re-activation brings it back, and a deleted user leaves every
 * group.
 */
@ApplicationScoped
public class UserOutcomeConsumer {

    private final UserDirectory directory;

    public UserOutcomeConsumer(UserDirectory directory) {
        this.directory = directory;
    }

    @Incoming("user-outcomes")
    public Uni<Void> consume(CommandOutcome outcome) {
        if (outcome == null || outcome.status() != CommandOutcome.Status.APPLIED || outcome.user() == null) {
            return Uni.createFrom().voidItem();
        }
        UserSnapshot user = outcome.user();
        UUID id = UUID.fromString(user.id());
        Uni<Void> change = outcome.deleted() ? directory.forget(id)
                : directory.remember(List.of(new UserDirectory.User(id, user.connectionId(),
                        user.profile() == null ? null : user.profile().userName(),
                        user.profile() == null || user.profile().active(), user.version())));
        return change.onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5);
    }
}
