package dev.scimsync.gateway.troubleshooting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.contracts.TroubleshootingReport.RefusedWhileScimOff;
import dev.scimsync.contracts.TroubleshootingReport.TokenFailures;
import dev.scimsync.contracts.TroubleshootingReport.UnattributedFailures;
import dev.scimsync.contracts.TroubleshootingReport.UnknownAttribute;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MisconfigurationTallyTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String ATTRIBUTE = TroubleshootingReport.ATTRIBUTE;

    @Test
    void repeatedSightingsAreOneEntryWithTheirCountAndFirstAndLastTime() {
        var tally = new MisconfigurationTally(10, 100, 100);
        tally.unknownAttribute("c1", "User", "nickname2", ATTRIBUTE, T0);
        tally.unknownAttribute("c1", "User", "nickname2", ATTRIBUTE, T0.plusSeconds(2));
        tally.unknownAttribute("c1", "User", "nickname2", ATTRIBUTE, T0.plusSeconds(1));
        tally.unknownAttribute("c1", "Group", "nickname2", ATTRIBUTE, T0);
        tally.failedAuthentication("c1", "aaaaaaaaaaaa", T0);
        tally.failedAuthentication("c1", "aaaaaaaaaaaa", T0.plusSeconds(5));
        tally.unattributedFailure(TroubleshootingReport.UNKNOWN_TOKEN, T0);
        tally.unattributedFailure(TroubleshootingReport.UNKNOWN_TOKEN, T0.plusSeconds(3));

        TroubleshootingReport report = tally.drain();

        assertEquals(List.of(
                new UnknownAttribute("c1", "User", "nickname2", ATTRIBUTE, 3, T0, T0.plusSeconds(2)),
                new UnknownAttribute("c1", "Group", "nickname2", ATTRIBUTE, 1, T0, T0)),
                report.unknownAttributes().stream().sorted((a, b) -> b.resourceType().compareTo(a.resourceType()))
                        .toList());
        assertEquals(List.of(new TokenFailures("c1", "aaaaaaaaaaaa", 2, T0, T0.plusSeconds(5))),
                report.failedAuthentications());
        assertEquals(List.of(new UnattributedFailures(TroubleshootingReport.UNKNOWN_TOKEN, 2, T0, T0.plusSeconds(3))),
                report.unattributed());
    }

    @Test
    void aConnectionListsAtMostItsCapOfNamesWhileTheNamesItHasKeepCounting() {
        var tally = new MisconfigurationTally(2, 100, 100);
        assertTrue(tally.unknownAttribute("c1", "User", "a", ATTRIBUTE, T0));
        assertTrue(tally.unknownAttribute("c1", "User", "b", ATTRIBUTE, T0));
        assertFalse(tally.unknownAttribute("c1", "User", "c", ATTRIBUTE, T0), "a third name is refused");
        assertTrue(tally.unknownAttribute("c1", "User", "a", ATTRIBUTE, T0), "a name already held still counts");
        assertTrue(tally.unknownAttribute("c2", "User", "c", ATTRIBUTE, T0), "another connection has its own cap");

        var report = tally.drain();
        assertEquals(3, report.unknownAttributes().size());
        assertEquals(2, report.unknownAttributes().stream().filter(u -> u.name().equals("a")).findFirst()
                .orElseThrow().count());
    }

    @Test
    void atMostMaxEntriesNamesAndTokensAreHeldAtOnce() {
        var tally = new MisconfigurationTally(10, 100, 3);
        assertTrue(tally.unknownAttribute("c1", "User", "a", ATTRIBUTE, T0));
        assertTrue(tally.unknownAttribute("c2", "User", "a", ATTRIBUTE, T0));
        assertTrue(tally.failedAuthentication("c3", "aaaaaaaaaaaa", T0));
        assertFalse(tally.failedAuthentication("c3", "bbbbbbbbbbbb", T0));
        assertFalse(tally.unknownAttribute("c4", "User", "a", ATTRIBUTE, T0));
        assertTrue(tally.failedAuthentication("c3", "aaaaaaaaaaaa", T0), "a token already held still counts");
        for (int i = 0; i < 1000; i++) {
            tally.unattributedFailure(TroubleshootingReport.MALFORMED, T0);
        }

        var report = tally.drain();
        assertEquals(2, report.unknownAttributes().size());
        assertEquals(2, report.failedAuthentications().get(0).count());
        assertEquals(1000, report.unattributed().get(0).count(), "a reason is one entry, however often");
        assertTrue(tally.unknownAttribute("c4", "User", "a", ATTRIBUTE, T0), "a drained tally has room again");
    }

    @Test
    void aLongNameIsCutToTheMaximumAndCountsAsOne() {
        var tally = new MisconfigurationTally(10, 100, 100);
        String longName = "x".repeat(TroubleshootingReport.MAX_NAME_LENGTH - 1) + "\uD83D\uDE00" + "y".repeat(10_000);
        tally.unknownAttribute("c1", "User", longName, ATTRIBUTE, T0);
        tally.unknownAttribute("c1", "User", longName + "z", ATTRIBUTE, T0);

        var unknown = tally.drain().unknownAttributes();
        assertEquals(1, unknown.size());
        assertEquals(2, unknown.get(0).count());
        assertEquals("x".repeat(TroubleshootingReport.MAX_NAME_LENGTH - 1), unknown.get(0).name(),
                "never cut between the halves of a surrogate pair");
    }

    @Test
    void drainingEmptiesTheTally() {
        var tally = new MisconfigurationTally(10, 100, 100);
        tally.unknownAttribute("c1", "User", "a", ATTRIBUTE, T0);
        tally.unattributedFailure(TroubleshootingReport.MISSING, T0);
        assertFalse(tally.drain().isEmpty());
        assertTrue(tally.drain().isEmpty());
    }

    @Test
    void anUndeliveredReportIsAddedBackToWhatCountedMeanwhileWithinTheBounds() {
        var tally = new MisconfigurationTally(2, 100, 100);
        tally.unknownAttribute("c1", "User", "a", ATTRIBUTE, T0);
        tally.unknownAttribute("c1", "User", "b", ATTRIBUTE, T0);
        tally.failedAuthentication("c1", "aaaaaaaaaaaa", T0);
        tally.unattributedFailure(TroubleshootingReport.MISSING, T0);
        TroubleshootingReport undelivered = tally.drain();

        tally.unknownAttribute("c1", "User", "a", ATTRIBUTE, T0.plusSeconds(10));
        tally.unknownAttribute("c1", "User", "c", ATTRIBUTE, T0.plusSeconds(10));
        tally.failedAuthentication("c1", "aaaaaaaaaaaa", T0.plusSeconds(10));
        tally.unattributedFailure(TroubleshootingReport.MISSING, T0.plusSeconds(10));
        assertEquals(1, tally.restore(undelivered), "'b' no longer fits beside 'a' and 'c'");

        var report = tally.drain();
        assertEquals(List.of(new UnknownAttribute("c1", "User", "a", ATTRIBUTE, 2, T0, T0.plusSeconds(10))),
                report.unknownAttributes().stream().filter(u -> u.name().equals("a")).toList());
        assertEquals(List.of("a", "c"), report.unknownAttributes().stream().map(UnknownAttribute::name).sorted()
                .toList());
        assertEquals(List.of(new TokenFailures("c1", "aaaaaaaaaaaa", 2, T0, T0.plusSeconds(10))),
                report.failedAuthentications());
        assertEquals(List.of(new UnattributedFailures(TroubleshootingReport.MISSING, 2, T0, T0.plusSeconds(10))),
                report.unattributed());
    }

    @Test
    void requestsRefusedWhileScimIsOffAreCountedPerMethodAndResourceAndPastTheBoundsWithoutTheId() {
        var tally = new MisconfigurationTally(10, 2, 100);
        tally.refusedWhileScimOff("c1", "PATCH", "User", "u1", T0);
        tally.refusedWhileScimOff("c1", "PATCH", "User", "u1", T0.plusSeconds(2));
        tally.refusedWhileScimOff("c1", "DELETE", "User", "u1", T0);
        tally.refusedWhileScimOff("c1", "PATCH", "User", "u2", T0.plusSeconds(1));
        tally.refusedWhileScimOff("c1", "PATCH", "User", "u3", T0.plusSeconds(3));
        tally.refusedWhileScimOff("c1", "PATCH", "User", "u4", T0.plusSeconds(4));
        tally.refusedWhileScimOff("c1", "GET", null, null, T0);
        tally.refusedWhileScimOff("c2", "PUT", "Group", "g1", T0);

        var refused = tally.drain().refusedWhileScimOff();

        assertEquals(java.util.Set.of(
                new RefusedWhileScimOff("c1", "PATCH", "User", "u1", 2, T0, T0.plusSeconds(2)),
                new RefusedWhileScimOff("c1", "DELETE", "User", "u1", 1, T0, T0),
                new RefusedWhileScimOff("c1", "PATCH", "User", null, 3, T0.plusSeconds(1), T0.plusSeconds(4)),
                new RefusedWhileScimOff("c1", "GET", null, null, 1, T0, T0),
                new RefusedWhileScimOff("c2", "PUT", "Group", "g1", 1, T0, T0)), java.util.Set.copyOf(refused),
                "c1 keeps two entries with an id (u1's PATCH and DELETE) and counts u2-u4 without theirs; c2 has its own bound");
        assertEquals(8, refused.stream().mapToLong(RefusedWhileScimOff::count).sum(), "every request counted");
    }

    @Test
    void refusalsOfAnUndeliveredReportAreAddedBack() {
        var tally = new MisconfigurationTally(10, 10, 100);
        tally.refusedWhileScimOff("c1", "DELETE", "User", "u1", T0);
        TroubleshootingReport undelivered = tally.drain();
        tally.refusedWhileScimOff("c1", "DELETE", "User", "u1", T0.plusSeconds(10));

        assertEquals(0, tally.restore(undelivered));

        assertEquals(List.of(new RefusedWhileScimOff("c1", "DELETE", "User", "u1", 2, T0, T0.plusSeconds(10))),
                tally.drain().refusedWhileScimOff());
    }
}
