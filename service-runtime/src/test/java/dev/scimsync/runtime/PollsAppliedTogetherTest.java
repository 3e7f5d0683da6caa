package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Polls are strings here; a poll's records are its characters. Each application is finished by the test. */
class PollsAppliedTogetherTest {

    private final List<List<String>> groups = new ArrayList<>();
    private final List<CompletableFuture<Void>> applications = new ArrayList<>();

    private PollsAppliedTogether<String> polls(int groupLimit, int heldLimit) {
        return new PollsAppliedTogether<>(String::length, group -> {
            groups.add(List.copyOf(group));
            CompletableFuture<Void> application = new CompletableFuture<>();
            applications.add(application);
            return Uni.createFrom().completionStage(application);
        }, groupLimit, heldLimit);
    }

    private static boolean completed(Uni<Void> offer) {
        AtomicBoolean done = new AtomicBoolean();
        offer.subscribe().with(nothing -> done.set(true));
        return done.get();
    }

    @Test
    void anIdleConsumerAppliesAPollTheMomentItArrives() {
        PollsAppliedTogether<String> polls = polls(100, 1000);
        assertTrue(completed(polls.offer("ab")));
        assertEquals(List.of(List.of("ab")), groups);
    }

    @Test
    void pollsThatArriveDuringAnApplicationAreAppliedTogetherInTheirOrder() {
        PollsAppliedTogether<String> polls = polls(100, 1000);
        polls.offer("a");
        assertTrue(completed(polls.offer("bb")));
        polls.offer("ccc");
        polls.offer("d");
        assertEquals(List.of(List.of("a")), groups, "nothing else starts while the first is applied");
        applications.get(0).complete(null);
        assertEquals(List.of(List.of("a"), List.of("bb", "ccc", "d")), groups);
        applications.get(1).complete(null);
        assertEquals(0, polls.held());
        polls.offer("e");
        assertEquals(List.of("e"), groups.get(2));
    }

    @Test
    void aGroupHoldsAtMostItsLimitOfRecordsAndABiggerPollGoesAlone() {
        PollsAppliedTogether<String> polls = polls(4, 100);
        polls.offer("first");
        polls.offer("ab");
        polls.offer("cd");
        polls.offer("e");
        polls.offer("toolong");
        applications.get(0).complete(null);
        applications.get(1).complete(null);
        applications.get(2).complete(null);
        assertEquals(List.of(List.of("first"), List.of("ab", "cd"), List.of("e"), List.of("toolong")), groups);
    }

    @Test
    void aFullBacklogHoldsTheConnectorBackUntilItDrains() {
        PollsAppliedTogether<String> polls = polls(10, 10);
        assertTrue(completed(polls.offer("aaaa")));
        assertTrue(completed(polls.offer("bbbb")));
        Uni<Void> third = polls.offer("cc");
        AtomicBoolean accepted = new AtomicBoolean();
        third.subscribe().with(nothing -> accepted.set(true));
        assertFalse(accepted.get(), "10 records held: the third poll is taken but not acknowledged as accepted");
        applications.get(0).complete(null);
        assertTrue(accepted.get(), "6 records held after the first was applied");
        assertEquals(6, polls.held());
    }

    @Test
    void aFailedApplicationDoesNotStopTheNext() {
        PollsAppliedTogether<String> polls = polls(100, 1000);
        polls.offer("a");
        polls.offer("b");
        applications.get(0).completeExceptionally(new IllegalStateException("database gone"));
        assertEquals(List.of(List.of("a"), List.of("b")), groups);
    }

    @Test
    void limitsMustLeaveRoomForAGroup() {
        assertThrows(IllegalArgumentException.class, () -> polls(0, 10));
        assertThrows(IllegalArgumentException.class, () -> polls(10, 5));
    }
}
