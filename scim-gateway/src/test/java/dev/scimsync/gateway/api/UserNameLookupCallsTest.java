package dev.scimsync.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.Field;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserNameLookups;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Lookups made while a call is in flight go together in the next one; each gets its own answer. */
class UserNameLookupCallsTest {

    private final List<UserNameLookups> calls = new ArrayList<>();
    private final List<CompletableFuture<UserNameLookups.Answer>> answers = new ArrayList<>();
    private final UserNameLookupCalls lookups = new UserNameLookupCalls(request -> {
        calls.add(request);
        CompletableFuture<UserNameLookups.Answer> answer = new CompletableFuture<>();
        answers.add(answer);
        return Uni.createFrom().completionStage(answer);
    });

    private static UserSnapshot user(String connection, String userName) {
        return new UserSnapshot(UUID.randomUUID().toString(), connection, new UserProfile(userName, null, true,
                ContractJson.mapper().createObjectNode()), 1, Instant.EPOCH, Instant.EPOCH);
    }

    private UniAssertSubscriber<Optional<UserSnapshot>> find(String connection, String userName) {
        return lookups.find(connection, userName).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void anIdleLookupGoesAtOnceAndThoseMadeMeanwhileGoTogetherNext() {
        var ada = find("c1", "ada");
        assertEquals(1, calls.size(), "no call was in flight: sent at once");
        assertEquals(List.of(new UserNameLookups.Lookup("c1", "ada")), calls.get(0).lookups());

        var grace = find("c1", "grace");
        var linus = find("c2", "linus");
        var nobody = find("c2", "nobody");
        assertEquals(1, calls.size(), "they wait for the call in flight");

        UserSnapshot adaUser = user("c1", "ada");
        answers.get(0).complete(new UserNameLookups.Answer(List.of(new UserNameLookups.Found(0, adaUser))));
        assertSame(adaUser, ada.awaitItem().getItem().orElseThrow());
        assertEquals(2, calls.size(), "the waiting ones went together as the answer came");
        assertEquals(List.of(new UserNameLookups.Lookup("c1", "grace"), new UserNameLookups.Lookup("c2", "linus"),
                new UserNameLookups.Lookup("c2", "nobody")), calls.get(1).lookups());

        UserSnapshot graceUser = user("c1", "grace");
        UserSnapshot linusUser = user("c2", "linus");
        answers.get(1).complete(new UserNameLookups.Answer(List.of(new UserNameLookups.Found(1, linusUser),
                new UserNameLookups.Found(0, graceUser))));
        assertSame(graceUser, grace.awaitItem().getItem().orElseThrow());
        assertSame(linusUser, linus.awaitItem().getItem().orElseThrow());
        assertFalse(nobody.awaitItem().getItem().isPresent());
        assertEquals(2, calls.size(), "nothing waited: no call");

        find("c1", "again");
        assertEquals(3, calls.size(), "idle again: the next lookup goes at once");
    }

    @Test
    void aFailedCallFailsItsLookupsAndTheWaitingOnesStillGo() {
        var first = find("c1", "ada");
        var waiting = find("c1", "grace");
        answers.get(0).completeExceptionally(new IllegalStateException("membership-service is down"));
        first.awaitFailure();
        assertEquals("membership-service is down", first.getFailure().getMessage());
        assertEquals(2, calls.size());
        answers.get(1).complete(new UserNameLookups.Answer(List.of()));
        assertFalse(waiting.awaitItem().getItem().isPresent());
    }

    @Test
    void noCallTakesMoreLookupsThanMembershipServiceAnswersInOne() {
        find("c", "first");
        for (int i = 0; i < UserNameLookups.MOST + 1; i++) {
            find("c", "u" + i);
        }
        answers.get(0).complete(new UserNameLookups.Answer(List.of()));
        assertEquals(UserNameLookups.MOST, calls.get(1).lookups().size());
        answers.get(1).complete(new UserNameLookups.Answer(List.of()));
        assertEquals(1, calls.get(2).lookups().size());
    }

    @Test
    void onlyATopLevelUserNameEqualityOnItsFirstPageIsALookup() {
        Field userName = Field.column(Field.Source.USER_NAME, Field.ValueType.STRING, false);
        Criterion named = new Criterion.Compare(userName, Criterion.Operator.EQ, "ada");
        assertEquals(Optional.of("ada"), UserNameLookupCalls.lookedUpUserName(new ResourceQuery(named, null, false, 1, 100, null)));
        assertEquals(Optional.of("ada"), UserNameLookupCalls.lookedUpUserName(new ResourceQuery(named, userName, true, 1, 1, null)));

        Criterion active = new Criterion.Compare(Field.column(Field.Source.ACTIVE, Field.ValueType.BOOLEAN, false),
                Criterion.Operator.EQ, true);
        List<ResourceQuery> queries = List.of(
                new ResourceQuery(new Criterion.All(List.of(named, active)), null, false, 1, 100, null),
                new ResourceQuery(named, null, false, 2, 100, null),
                new ResourceQuery(named, null, false, 1, 0, null),
                new ResourceQuery(named, null, false, 1, 100, new Keyset(Instant.EPOCH, UUID.randomUUID())),
                new ResourceQuery(new Criterion.Compare(userName, Criterion.Operator.EQ, null), null, false, 1, 100, null),
                new ResourceQuery(new Criterion.Compare(userName, Criterion.Operator.STARTS_WITH, "ada"), null, false, 1,
                        100, null),
                new ResourceQuery(null, null, false, 1, 100, null));
        for (ResourceQuery query : queries) {
            assertTrue(UserNameLookupCalls.lookedUpUserName(query).isEmpty(), query.toString());
        }
    }
}
