package dev.scimsync.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HashChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void canonicalJsonSortsKeysAtEveryDepthAndDropsWhitespace() throws Exception {
        String a = CanonicalJson.of(JSON.readTree("{\"b\": 1, \"a\": {\"y\": [3, {\"d\": 1, \"c\": 2}], \"x\": null}}"));
        String b = CanonicalJson.of(JSON.readTree("{\"a\":{\"x\":null,\"y\":[3,{\"c\":2,\"d\":1}]},\"b\":1}"));
        assertEquals("{\"a\":{\"x\":null,\"y\":[3,{\"c\":2,\"d\":1}]},\"b\":1}", a);
        assertEquals(a, b);
    }

    @Test
    void aKnownVector() {
        // SHA-256 of 64 zeros followed by "{}", computed independently with sha256sum.
        assertEquals("5508d2b710e64bc470079e1b211d9c58e21011e59d0559e422345dc19d659a75", HashChain.next(HashChain.GENESIS, "{}"));
    }

    private static AuditEntry entry(long seq, String previousHash, String outcome) throws Exception {
        return new AuditEntry(UUID.fromString("00000000-0000-0000-0000-00000000000" + seq), "conn-1", seq, "outcome",
                "m-" + seq, null, "outcome", outcome, "acme", "ada@example.com", "tok", "req", "10.0.0.1", "Okta",
                JSON.readTree("{\"b\":1,\"a\":2}"), Instant.parse("2026-01-01T00:00:00Z"), previousHash);
    }

    @Test
    void eachHashCoversThePreviousHashAndEveryField() throws Exception {
        AuditEntry first = entry(1, HashChain.GENESIS, "applied");
        AuditEntry second = entry(2, first.hash(), "applied");

        assertEquals(first.hash(), entry(1, HashChain.GENESIS, "applied").hash());
        assertNotEquals(first.hash(), entry(1, HashChain.GENESIS, "rejected:uniqueness").hash());
        assertNotEquals(second.hash(), entry(2, HashChain.GENESIS, "applied").hash());
    }

    @Test
    void payloadKeyOrderDoesNotChangeTheHash() throws Exception {
        AuditEntry stored = entry(1, HashChain.GENESIS, "applied");
        AuditEntry readBack = new AuditEntry(stored.id(), stored.connectionId(), stored.seq(), stored.kind(),
                stored.messageId(), stored.commandId(), stored.action(), stored.outcome(), stored.organization(),
                stored.user(), stored.tokenId(), stored.requestId(), stored.clientAddress(), stored.userAgent(),
                JSON.readTree("{\"a\": 2, \"b\": 1}"), stored.recordedAt(), stored.previousHash());
        assertEquals(stored.hash(), readBack.hash());
    }
}
