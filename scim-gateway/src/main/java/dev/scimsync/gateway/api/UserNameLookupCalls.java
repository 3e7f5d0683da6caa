package dev.scimsync.gateway.api;

import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserNameLookups;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.messaging.CommandDispatcher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The IdPs' {@code userName eq} lookups - one before every create - sent to membership-service together. A lookup
 * made while no call is in flight goes at once, alone; lookups made while one is in flight wait for its answer and
 * then go together in the next call (at most {@link UserNameLookups#MOST}), answered by one statement. No timer: an
 * idle gateway adds no wait, and a busy one pays one internal request and one statement for several lookups -
 * the read path batched as the command path is.
 */
@ApplicationScoped
public class UserNameLookupCalls {

    private record Waiting(UserNameLookups.Lookup lookup, CompletableFuture<Optional<UserSnapshot>> answer) {
    }

    private final Function<UserNameLookups, Uni<UserNameLookups.Answer>> call;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean calling;

    @Inject
    public UserNameLookupCalls(@RestClient MembershipClient membership,
            @ConfigProperty(name = "scim.user-name-lookups-timeout") Duration timeout) {
        // One call at a time: one that hangs must not hold the lookups behind it for the client's read timeout.
        this(lookups -> ServiceAnswers.reaching("membership-service", membership.lookUpUserNames(lookups)
                        .ifNoItem().after(timeout).fail())
                .map(answer -> ServiceAnswers.page(answer, UserNameLookups.Answer.class, "users")));
    }

    UserNameLookupCalls(Function<UserNameLookups, Uni<UserNameLookups.Answer>> call) {
        this.call = call;
    }

    /**
     * The userName a query looks up when it is nothing else: a top-level {@code userName eq} with a value, on its
     * first page. Any other query - another filter beside it, a later page, a cursor past the first - goes to
     * membership-service as a query of its own.
     */
    static Optional<String> lookedUpUserName(ResourceQuery query) {
        if (query.startIndex() == 1 && query.count() >= 1 && query.after() == null
                && query.filter() instanceof Criterion.Compare compare
                && compare.field().source() == Field.Source.USER_NAME
                && compare.operator() == Criterion.Operator.EQ && compare.value() instanceof String userName) {
            return Optional.of(userName);
        }
        return Optional.empty();
    }

    /** The connection's SCIM user of that userName (ignoring case), if there is one; answered on the caller's context. */
    public Uni<Optional<UserSnapshot>> find(String connectionId, String userName) {
        return Uni.createFrom().deferred(() -> {
            // The answer arrives on whichever request's context made the call: each lookup resumes on its own.
            Executor backToTheCaller = CommandDispatcher.onTheCallersContext();
            CompletableFuture<Optional<UserSnapshot>> answer = new CompletableFuture<>();
            boolean callNow;
            synchronized (this) {
                waiting.add(new Waiting(new UserNameLookups.Lookup(connectionId, userName), answer));
                callNow = !calling;
                calling = true;
            }
            if (callNow) {
                callWithWaiting();
            }
            return Uni.createFrom().completionStage(answer).emitOn(backToTheCaller);
        });
    }

    /** Sends the waiting lookups in one call; when it is answered, the ones that arrived meanwhile go next. */
    private void callWithWaiting() {
        List<Waiting> batch = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && batch.size() < UserNameLookups.MOST) {
                batch.add(waiting.poll());
            }
            if (batch.isEmpty()) {
                calling = false;
                return;
            }
        }
        Uni<UserNameLookups.Answer> answer;
        try {
            answer = call.apply(new UserNameLookups(batch.stream().map(Waiting::lookup).toList()));
        } catch (RuntimeException e) {
            answer = Uni.createFrom().failure(e);
        }
        answer.subscribe().with(found -> {
            Map<Integer, UserSnapshot> byLookup = new HashMap<>();
            found.found().forEach(f -> byLookup.put(f.lookup(), f.user()));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(Optional.ofNullable(byLookup.get(i)));
            }
            callWithWaiting();
        }, failure -> {
            batch.forEach(w -> w.answer().completeExceptionally(failure));
            callWithWaiting();
        });
    }
}
