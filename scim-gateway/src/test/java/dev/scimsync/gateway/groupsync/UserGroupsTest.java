package dev.scimsync.gateway.groupsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.internal.UserIds;
import dev.scimsync.contracts.internal.UserNameGroups;
import dev.scimsync.contracts.query.ResourceQuery;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Vetoed;
import jakarta.ws.rs.core.Response;
import org.awaitility.Awaitility;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Users stay readable whatever group-sync-service does. */
class UserGroupsTest {

    /** A group-sync-service that answers every groups lookup with the given answer (no bean of the tested app). */
    @Vetoed
    private static final class StubGroupSync implements GroupSyncClient {
        private final Uni<Response> answer;
        private final List<UserIds> asked = new ArrayList<>();
        private final List<String> askedByName = new ArrayList<>();

        StubGroupSync(Uni<Response> answer) {
            this.answer = answer;
        }

        @Override
        public Uni<Response> groupsOfUsers(String connectionId, UserIds users) {
            asked.add(users);
            return answer;
        }

        @Override
        public Uni<Response> groupsOfUserName(String connectionId, UserNameGroups.Request userName) {
            askedByName.add(userName.userName());
            return answer;
        }

        @Override
        public Uni<Response> group(String connectionId, String id, boolean members) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Response> queryGroups(String connectionId, boolean members, ResourceQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Response> commandOutcome(String commandId) {
            throw new UnsupportedOperationException();
        }
    }

    /** The guard's limits are the app's (StalledGroupSyncTest); these tests are about what is left when a call fails. */
    private static final TypedGuard<Uni<Response>> UNGUARDED = new TypedGuard<>() {
        @Override
        public Uni<Response> call(Callable<Uni<Response>> action) throws Exception {
            return action.call();
        }

        @Override
        public Uni<Response> get(Supplier<Uni<Response>> action) {
            return action.get();
        }
    };

    private static Map<String, List<GroupMember>> lookUp(StubGroupSync groupSync, List<String> userIds) {
        return new UserGroups(groupSync, Duration.ofMillis(200), UNGUARDED).of("c-1", userIds).await()
                .atMost(Duration.ofSeconds(5));
    }

    @Test
    void unreachableGroupSyncYieldsNoGroups() {
        StubGroupSync down = new StubGroupSync(Uni.createFrom().failure(new ConnectException("refused")));
        assertEquals(Map.of(), lookUp(down, List.of("u1")));
    }

    @Test
    void anErrorAnswerYieldsNoGroups() {
        StubGroupSync failing = new StubGroupSync(Uni.createFrom().item(Response.serverError().build()));
        assertEquals(Map.of(), lookUp(failing, List.of("u1")));
    }

    @Test
    void aSlowGroupSyncYieldsNoGroupsAfterTheTimeout() {
        StubGroupSync hanging = new StubGroupSync(Uni.createFrom().nothing());
        assertEquals(Map.of(), lookUp(hanging, List.of("u1")));
    }

    private static Optional<UserNameGroups> lookUpByName(StubGroupSync groupSync) {
        return new UserGroups(groupSync, Duration.ofMillis(200), UNGUARDED).ofUserName("c-1", "ada@example.com").await()
                .atMost(Duration.ofSeconds(5));
    }

    /** Asked beside a lookup: a group-sync-service that cannot answer shows the user without groups, as above. */
    @Test
    void byNameUnreachableOrSlowYieldsNoAnswer() {
        StubGroupSync down = new StubGroupSync(Uni.createFrom().failure(new ConnectException("refused")));
        assertEquals(Optional.empty(), lookUpByName(down));
        assertEquals(List.of("ada@example.com"), down.askedByName);
        assertEquals(Optional.empty(), lookUpByName(new StubGroupSync(Uni.createFrom().nothing())));
    }

    /**
     * One that answers, but not 200 (a group-sync-service older than the question, during an upgrade), names nobody:
     * the caller then asks by the found user's id.
     */
    @Test
    void byNameAnAnswerOtherThan200NamesNobody() {
        assertEquals(Optional.of(UserNameGroups.UNKNOWN),
                lookUpByName(new StubGroupSync(Uni.createFrom().item(Response.status(404).build()))));
        assertEquals(Optional.of(UserNameGroups.UNKNOWN),
                lookUpByName(new StubGroupSync(Uni.createFrom().item(Response.serverError().build()))));
    }

    /**
     * Calls that group-sync-service leaves unanswered pile up; while they do, it is not answering promptly (no call is
     * made on a guess), and once they are given up (the timeout) it is again.
     */
    @Test
    void callsWaitingForASlowGroupSyncMeanItIsNotAnsweringPromptly() {
        UserGroups groups = new UserGroups(new StubGroupSync(Uni.createFrom().nothing()), Duration.ofMillis(300),
                UNGUARDED);
        assertTrue(groups.answersPromptly());
        List<io.smallrye.mutiny.subscription.Cancellable> calls = new ArrayList<>();
        for (int i = 0; i < UserGroups.PROMPT_CALLS_WAITING - 1; i++) {
            calls.add(groups.of("c-1", List.of("u" + i)).subscribe().with(answer -> { }));
        }
        assertTrue(groups.answersPromptly(), "a few calls waiting");
        calls.add(groups.ofUserName("c-1", "ada@example.com").subscribe().with(answer -> { }));
        assertFalse(groups.answersPromptly(), UserGroups.PROMPT_CALLS_WAITING + " calls waiting");

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(groups::answersPromptly);
        calls.add(groups.of("c-1", List.of("late")).subscribe().with(answer -> { }));
        calls.get(calls.size() - 1).cancel();
        assertTrue(groups.answersPromptly(), "a call given up is no longer waiting");
    }

    /** Past the calls that may wait at once, a lookup is not made: its users are shown without groups at once. */
    @Test
    void noMoreCallsThanTheLimitWaitAtOnce() {
        StubGroupSync hanging = new StubGroupSync(Uni.createFrom().nothing());
        UserGroups groups = new UserGroups(hanging, Duration.ofSeconds(30), UNGUARDED);
        List<io.smallrye.mutiny.subscription.Cancellable> calls = new ArrayList<>();
        for (int i = 0; i < UserGroups.CALLS_AT_ONCE; i++) {
            calls.add(groups.of("c-1", List.of("u" + i)).subscribe().with(answer -> { }));
        }
        assertEquals(UserGroups.CALLS_AT_ONCE, hanging.asked.size());

        assertEquals(Map.of(), groups.of("c-1", List.of("one-too-many")).await().atMost(Duration.ofSeconds(5)));
        assertEquals(Optional.empty(), groups.ofUserName("c-1", "ada@example.com").await().atMost(Duration.ofSeconds(5)));
        assertEquals(UserGroups.CALLS_AT_ONCE, hanging.asked.size(), "the calls past the limit were not made");
        assertEquals(List.of(), hanging.askedByName);

        calls.get(0).cancel();
        groups.of("c-1", List.of("after-one-ended")).subscribe().with(answer -> { });
        assertEquals(UserGroups.CALLS_AT_ONCE + 1, hanging.asked.size(), "a call ended: the next one is made");
        calls.forEach(io.smallrye.mutiny.subscription.Cancellable::cancel);
    }

    @Test
    void nobodyToLookUpAsksNothing() {
        StubGroupSync groupSync = new StubGroupSync(Uni.createFrom().failure(new IllegalStateException("not asked")));
        assertEquals(Map.of(), lookUp(groupSync, List.of()));
        assertEquals(List.of(), groupSync.asked);
    }
}
