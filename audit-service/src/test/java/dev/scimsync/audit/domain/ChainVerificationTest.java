package dev.scimsync.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainVerificationTest {

    private static final String K1 = "first-key-secret-thirty-two-bytes-long";
    private static final String K2 = "second-key-secret-thirty-two-bytes-long";
    private static final ChainKeys BOTH = ChainKeys.of(Map.of("k1", K1, "k2", K2), "k2");

    /** A chain as AuditLog writes it: records 1..n, each with the key id given for it (null: unkeyed). */
    private static List<AuditLogRow> chain(ChainKeys keys, String... keyIds) throws Exception {
        List<AuditLogRow> rows = new ArrayList<>();
        String previous = HashChain.GENESIS;
        for (int i = 0; i < keyIds.length; i++) {
            AuditEntry entry = HashChainTest.entry(i + 1, previous, "applied", keyIds[i]);
            previous = keys.chainValue(entry).orElseThrow();
            rows.add(new AuditLogRow(entry, previous));
        }
        return rows;
    }

    private record AuditLogRow(AuditEntry entry, String value) {
    }

    private static ChainVerification.Result verify(ChainKeys keys, ChainVerification.Start start,
            ChainVerification.PublishedHead head, List<AuditLogRow> rows) {
        ChainVerification verification = new ChainVerification(keys, start, head);
        for (AuditLogRow row : rows) {
            if (!verification.check(row.entry(), row.value())) {
                break;
            }
        }
        return verification.result();
    }

    private static ChainVerification.Result verify(ChainKeys keys, List<AuditLogRow> rows) {
        return verify(keys, ChainVerification.Start.GENESIS, null, rows);
    }

    private static ChainVerification.PublishedHead head(AuditLogRow row) {
        return new ChainVerification.PublishedHead(row.entry().seq(), row.value(), Instant.parse("2026-01-01T00:01:00Z"));
    }

    @Test
    void aRotatedChainVerifiesEachRecordWithItsOwnKeyAndCountsUnkeyedOnes() throws Exception {
        ChainVerification.Result result = verify(BOTH, chain(BOTH, null, null, "k1", "k1", "k2"));

        assertTrue(result.intact(), String.valueOf(result.problem()));
        assertEquals(5, result.checked());
        assertEquals(3, result.keyed());
        assertEquals(2, result.unkeyed());
    }

    @Test
    void aRecordWhoseKeyIdIsNotConfiguredFailsAndSaysWhich() throws Exception {
        List<AuditLogRow> rows = chain(BOTH, "k1", "k2");
        ChainKeys withoutK1 = ChainKeys.of(Map.of("k2", K2), "k2");

        ChainVerification.Result result = verify(withoutK1, rows);

        assertFalse(result.intact());
        assertEquals(1L, result.brokenSeq());
        assertEquals("chained with key id 'k1', which is not configured (audit.chain.keys.k1)", result.problem());
    }

    @Test
    void aChangedRecordIsNamed() throws Exception {
        List<AuditLogRow> rows = chain(BOTH, "k2", "k2", "k2");
        AuditEntry original = rows.get(1).entry();
        AuditEntry forged = HashChainTest.entry(2, original.previousHash(), "rejected:forged", "k2");
        rows.set(1, new AuditLogRow(forged, rows.get(1).value()));

        ChainVerification.Result result = verify(BOTH, rows);

        assertFalse(result.intact());
        assertEquals(2L, result.brokenSeq());
        assertEquals(original.id(), result.brokenId());
        assertEquals("content does not match its MAC with key 'k2' (the record was changed)", result.problem());
        assertEquals(2, result.checked());
    }

    @Test
    void aTailRewrittenWithoutTheKeyAsPlainSha256IsCaught() throws Exception {
        List<AuditLogRow> rows = chain(BOTH, "k2", "k2");
        // An insider recomputes record 2 the old, unkeyed way: consistent as SHA-256, but a downgrade.
        AuditEntry forged = HashChainTest.entry(2, rows.get(0).value(), "rejected:forged", null);
        rows.set(1, new AuditLogRow(forged, HashChain.unkeyed(forged.previousHash(), forged.canonical())));

        ChainVerification.Result result = verify(BOTH, rows);

        assertFalse(result.intact());
        assertEquals(2L, result.brokenSeq());
        assertTrue(result.problem().startsWith("unkeyed record after keyed ones"), result.problem());
    }

    @Test
    void aMissingRecordAndAWrongPredecessorAreNamed() throws Exception {
        List<AuditLogRow> rows = chain(BOTH, "k2", "k2", "k2");
        List<AuditLogRow> gap = List.of(rows.get(0), rows.get(2));
        assertEquals("sequence jumps from 1 to 3 (a record is missing)", verify(BOTH, gap).problem());

        AuditEntry second = rows.get(1).entry();
        AuditEntry relinked = HashChainTest.entry(2, HashChain.GENESIS, second.outcome(), "k2");
        List<AuditLogRow> relinkedRows = List.of(rows.get(0), new AuditLogRow(relinked,
                BOTH.chainValue(relinked).orElseThrow()));
        assertEquals("previous value does not match the record before it", verify(BOTH, relinkedRows).problem());
    }

    @Test
    void verificationFromACheckpointChecksTheFirstRetainedRecordAgainstIt() throws Exception {
        List<AuditLogRow> rows = chain(BOTH, "k1", "k1", "k2", "k2");
        List<AuditLogRow> retained = rows.subList(2, 4);
        ChainVerification.Start checkpoint = new ChainVerification.Start(2, rows.get(1).value(), "k1");

        ChainVerification.Result result = verify(BOTH, checkpoint, null, retained);
        assertTrue(result.intact(), String.valueOf(result.problem()));
        assertEquals(2, result.startedAfterSeq());
        assertEquals(2, result.checked());

        ChainVerification.Start wrong = new ChainVerification.Start(2, rows.get(0).value(), "k1");
        ChainVerification.Result broken = verify(BOTH, wrong, null, retained);
        assertFalse(broken.intact());
        assertEquals(3L, broken.brokenSeq());
        assertEquals("previous value does not match the retention checkpoint (the last record retention dropped)",
                broken.problem());

        // Without the checkpoint, the same retained records read as a chain whose beginning is missing.
        assertEquals("sequence jumps from 0 to 3 (a record is missing)", verify(BOTH, retained).problem());
    }

    @Test
    void aStoredChainThatFallsShortOfThePublishedHeadIsBroken() throws Exception {
        List<AuditLogRow> rows = chain(BOTH, "k2", "k2", "k2");

        ChainVerification.Result truncated = verify(BOTH, ChainVerification.Start.GENESIS, head(rows.get(2)),
                rows.subList(0, 2));

        assertFalse(truncated.intact());
        assertEquals(3L, truncated.brokenSeq());
        assertNull(truncated.brokenId());
        assertEquals("the chain head published at 2026-01-01T00:01:00Z is at seq 3 but the stored chain ends at 2 "
                + "(records were removed)", truncated.problem());
        assertTrue(verify(BOTH, ChainVerification.Start.GENESIS, head(rows.get(2)), rows).intact());
        assertTrue(verify(BOTH, ChainVerification.Start.GENESIS, head(rows.get(1)), rows).intact(),
                "records appended after the last published head are fine");
    }

    @Test
    void aChainRewrittenWholeAsUnkeyedDoesNotMatchThePublishedHead() throws Exception {
        List<AuditLogRow> genuine = chain(BOTH, "k2", "k2");
        List<AuditLogRow> forged = chain(BOTH, null, null);

        ChainVerification.Result result = verify(BOTH, ChainVerification.Start.GENESIS, head(genuine.get(1)), forged);

        assertFalse(result.intact());
        assertEquals(2L, result.brokenSeq());
        assertEquals(forged.get(1).entry().id(), result.brokenId());
        assertEquals("record 2 does not match the chain head published at 2026-01-01T00:01:00Z (the chain was "
                + "rewritten)", result.problem());
    }
}
