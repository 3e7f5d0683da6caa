package dev.scimsync.groupsync.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.groupsync.messaging.UserOutcomeConsumer.Run;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserOutcomeRunsTest {

    private static final String CONNECTION = "conn-1";
    private final UUID ada = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();

    private static UserSnapshot user(UUID id, String userName, boolean active, long version) {
        return new UserSnapshot(id.toString(), CONNECTION, new UserProfile(userName, null, active,
                ContractJson.mapper().createObjectNode()), version, Instant.now(), Instant.now());
    }

    private static CommandOutcome applied(UUID id, String userName, boolean active, long version) {
        return CommandOutcome.applied(UUID.randomUUID(), CONNECTION, user(id, userName, active, version));
    }

    private static CommandOutcome deleted(UUID id, long version) {
        return CommandOutcome.userDeleted(UUID.randomUUID(), CONNECTION, user(id, "gone", true, version));
    }

    private static List<Run> runs(CommandOutcome... outcomes) {
        return UserOutcomeConsumer.runs(Arrays.asList(outcomes));
    }

    @Test
    void consecutiveOutcomesAreOneRunWithEachUserOnceAtItsHighestVersion() {
        List<Run> runs = runs(applied(ada, "ada", true, 1), applied(bob, "bob", true, 1),
                applied(ada, "ada.l", false, 3), applied(ada, "ada.old", true, 2));

        assertEquals(1, runs.size());
        assertEquals(List.of(), runs.get(0).forgotten());
        List<String> remembered = runs.get(0).remembered().stream()
                .map(u -> u.id() + ":" + u.userName() + ":" + u.active() + ":" + u.version()).toList();
        assertEquals(List.of(ada + ":ada.l:false:3", bob + ":bob:true:1"), remembered);
    }

    @Test
    void aDeletionClosesTheRunBeforeItSoTheUserEndsDeleted() {
        List<Run> runs = runs(applied(ada, "ada", true, 1), deleted(ada, 2), deleted(bob, 4), applied(bob, "bob", true, 5),
                applied(ada, "ada", true, 1));

        assertEquals(3, runs.size());
        assertEquals(List.of(ada), runs.get(0).remembered().stream().map(u -> u.id()).toList());
        assertEquals(List.of(ada, bob), runs.get(1).forgotten(), "consecutive deletions in one run");
        assertEquals(List.of(), runs.get(1).remembered());
        assertEquals(List.of(bob, ada), runs.get(2).remembered().stream().map(u -> u.id()).toList(),
                "later outcomes apply after the deletions, in order");
    }

    @Test
    void unreadableRejectedAndGroupOutcomesChangeNoUser() {
        List<Run> runs = runs(null, CommandOutcome.rejected(UUID.randomUUID(), CONNECTION,
                new CommandFailure(CommandFailure.Reason.NOT_FOUND, "gone")), applied(ada, "ada", true, 1), null);

        assertEquals(1, runs.size());
        assertEquals(1, runs.get(0).remembered().size());
        assertEquals(List.of(), runs(null, null));
    }
}
