package dev.scimsync.groupsync.messaging;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.groupsync.persistence.UserDirectory;
import dev.scimsync.runtime.Retry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows membership-service's committed user outcomes: a deactivated user stays in its groups but leaves
 * their teams (teams list active users only), re-activation brings it back, and a deleted user leaves every
 * group. A poll at a time, in one transaction.
 */
@ApplicationScoped
public class UserOutcomeConsumer {

    private static final Logger LOG = Logger.getLogger(UserOutcomeConsumer.class);

    private final UserDirectory directory;

    public UserOutcomeConsumer(UserDirectory directory) {
        this.directory = directory;
    }

    /**
     * Consecutive outcomes of one kind: users to record (each once, at its highest version) or user ids to
     * forget. Exactly one of the two is non-empty.
     */
    record Run(List<UserDirectory.User> remembered, List<UUID> forgotten) {
    }

    @Incoming("user-outcomes")
    public Uni<Void> consume(List<CommandOutcome> outcomes) {
        List<Run> runs = runs(outcomes);
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Never skipped: a deactivation not recorded here would leave the user in their teams. While the
        // database cannot be reached the poll is retried until it can; the outcomes wait in Kafka meanwhile.
        return directory.transaction(sql -> apply(sql, runs))
                .onFailure().invoke(failure -> LOG.warnf("%d user outcomes could not be recorded (%s); retrying",
                        outcomes.size(), failure.toString()))
                .plug(Retry::untilItSucceeds);
    }

    private Uni<Void> apply(SqlConnection sql, List<Run> runs) {
        Uni<Void> applied = Uni.createFrom().voidItem();
        for (Run run : runs) {
            applied = applied.chain(() -> run.forgotten().isEmpty() ? directory.remember(sql, run.remembered())
                    : directory.forget(sql, run.forgotten()));
        }
        return applied;
    }

    /**
     * The poll's applied user outcomes as runs, in order: a deletion closes the run of users before it, so a
     * user recorded and then deleted within one poll ends deleted, as it would one outcome at a time.
     */
    static List<Run> runs(List<CommandOutcome> outcomes) {
        List<Run> runs = new ArrayList<>();
        Map<UUID, UserDirectory.User> remembered = new LinkedHashMap<>();
        List<UUID> forgotten = new ArrayList<>();
        for (CommandOutcome outcome : outcomes) {
            // An unreadable outcome arrives as null; a rejection or a group's outcome changes no user.
            if (outcome == null || outcome.status() != CommandOutcome.Status.APPLIED || outcome.user() == null) {
                continue;
            }
            UserSnapshot user = outcome.user();
            UUID id = UUID.fromString(user.id());
            if (outcome.deleted()) {
                if (!remembered.isEmpty()) {
                    runs.add(new Run(List.copyOf(remembered.values()), List.of()));
                    remembered.clear();
                }
                forgotten.add(id);
            } else {
                if (!forgotten.isEmpty()) {
                    runs.add(new Run(List.of(), List.copyOf(forgotten)));
                    forgotten.clear();
                }
                // One row per user in the statement: the highest version wins, as it would in the table.
                remembered.merge(id, new UserDirectory.User(id, user.connectionId(),
                        user.profile() == null ? null : user.profile().userName(),
                        user.profile() == null || user.profile().active(), user.version()),
                        (earlier, later) -> later.version() >= earlier.version() ? later : earlier);
            }
        }
        if (!remembered.isEmpty()) {
            runs.add(new Run(List.copyOf(remembered.values()), List.of()));
        }
        if (!forgotten.isEmpty()) {
            runs.add(new Run(List.of(), List.copyOf(forgotten)));
        }
        return runs;
    }
}
