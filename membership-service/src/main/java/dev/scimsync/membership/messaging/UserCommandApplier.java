package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.CommandFailure.Reason;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.membership.domain.UserCommandBatch;
import dev.scimsync.membership.persistence.StaleAccounts;
import dev.scimsync.membership.persistence.UserCommandStore;
import dev.scimsync.runtime.DatabaseFailures;
import dev.scimsync.runtime.StoredTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies the user commands of one poll in one PostgreSQL transaction - the commands, their processed-command
 * records and their events commit together, once - so a redelivered command gets its first outcome back
 * instead of being applied twice.
 *
 * <p>One bad command must not fail its neighbours: when the batch's transaction fails for a reason a command
 * can cause (a unique clash with a concurrent sign-in, a value PostgreSQL refuses), it is rolled back and its
 * halves are applied apart, down to the one command that still fails alone and is rejected on its own. A
 * failure the database causes (it is down or restarting) is left to the caller, which retries the whole poll.
 */
@ApplicationScoped
public class UserCommandApplier {

    private static final Logger LOG = Logger.getLogger(UserCommandApplier.class);
    /**
     * A unique clash or stale accounts ({@link StaleAccounts}) alone is tried this often: a concurrent writer
     * committed meanwhile and is seen next time.
     */
    private static final int UNIQUE_CLASH_ATTEMPTS = 3;

    private final Pool pool;
    private final UserCommandStore store;

    private final Clock clock;

    public UserCommandApplier(Pool pool, UserCommandStore store, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.clock = clock;
    }

    /** The outcomes of {@code commands}, in their order, each committed before this completes. */
    public Uni<List<CommandOutcome>> apply(List<UserCommandBatch.Pending> commands) {
        if (commands.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (commands.size() == 1) {
            return alone(commands.get(0), 1).map(List::of);
        }
        return pool.withTransaction(sql -> applyAll(sql, UserCommandBatch.split(commands)))
                .onFailure(UserCommandApplier::causedByACommand).recoverWithUni(failure -> {
                    // Halves, each in its own transaction, down to the command that fails: a bad command costs its
                    // neighbours about two transactions per halving, not one transaction each.
                    LOG.infof("a batch of %d user commands failed (%s); applying its halves apart", commands.size(),
                            failure.toString());
                    int half = commands.size() / 2;
                    return apply(commands.subList(0, half)).chain(first -> apply(commands.subList(half, commands.size()))
                            .map(second -> {
                                List<CommandOutcome> outcomes = new ArrayList<>(first);
                                outcomes.addAll(second);
                                return outcomes;
                            }));
                });
    }

    /** The batches one after another in one transaction: each reads what the ones before it wrote. */
    private Uni<List<CommandOutcome>> applyAll(SqlConnection sql, List<List<UserCommandBatch.Pending>> batches) {
        List<CommandOutcome> outcomes = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<UserCommandBatch.Pending> commands : batches) {
            chain = chain.chain(() -> applyBatch(sql, commands).invoke(outcomes::addAll).replaceWithVoid());
        }
        return chain.replaceWith(outcomes);
    }

    private Uni<List<CommandOutcome>> applyBatch(SqlConnection sql, List<UserCommandBatch.Pending> commands) {
        UserCommandBatch batch = new UserCommandBatch(commands, StoredTime.now(clock));
        return store.read(sql, batch).chain(state -> {
            UserCommandBatch.Result result = batch.apply(state);
            return store.write(sql, result.changes()).replaceWith(result.outcomes());
        });
    }

    /** One command in its own transaction; what it keeps causing is its rejection, recorded on its own. */
    private Uni<CommandOutcome> alone(UserCommandBatch.Pending command, int attempt) {
        return pool.withTransaction(sql -> applyBatch(sql, List.of(command))).map(outcomes -> outcomes.get(0))
                .onFailure(UserCommandApplier::causedByACommand).recoverWithUni(failure -> {
                    if ((DatabaseFailures.uniqueViolation(failure) || failure instanceof StaleAccounts)
                            && attempt < UNIQUE_CLASH_ATTEMPTS) {
                        return alone(command, attempt + 1);
                    }
                    CommandOutcome rejected = DatabaseFailures.uniqueViolation(failure)
                            ? UserCommandBatch.taken(command.command())
                            : UserCommandBatch.rejection(command.command(), Reason.INVALID_VALUE,
                                    "the user could not be stored: " + failure.getMessage());
                    LOG.warnf("user command %s rejected after it failed alone: %s", command.command().commandId(),
                            failure.toString());
                    return recordRejection(command, rejected);
                });
    }

    /**
     * The rejection, recorded as the command's processed outcome - unless the record itself holds what PostgreSQL
     * refuses (it repeats the command's user id, say, with a NUL in it): then the rejection is answered unrecorded.
     * Retried instead, it would fail for good and stop every command behind it on its partition. Unrecorded, a
     * redelivery of the command fails and is rejected the same way again; nothing was written for it either time.
     */
    private Uni<CommandOutcome> recordRejection(UserCommandBatch.Pending command, CommandOutcome rejected) {
        return pool.withTransaction(sql -> store.write(sql, UserCommandBatch.recorded(command.command(), rejected)))
                .replaceWith(rejected)
                .onFailure(DatabaseFailures::causedByTheData).recoverWithItem(failure -> {
                    LOG.errorf("user command %s: its rejection could not be recorded either (%s); answered unrecorded",
                            command.command().commandId(), failure.toString());
                    return rejected;
                });
    }

    /**
     * Whether a failure can come from the commands themselves (integrity, data or size limits, a deadlock with
     * a concurrent writer, accounts a concurrent writer changed after the batch read them, or a rule of ours that
     * threw) rather than from the database being unreachable.
     */
    static boolean causedByACommand(Throwable failure) {
        return DatabaseFailures.causedByTheData(failure) || DatabaseFailures.conflict(failure)
                || failure instanceof StaleAccounts;
    }
}
