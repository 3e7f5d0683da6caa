package dev.scimsync.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HashChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ChainKeys KEYS = ChainKeys.of(Map.of("k1", "k1-secret-of-at-least-thirty-two-bytes"), "k1");

    @Test
    void canonicalJsonSortsKeysAtEveryDepthAndDropsWhitespace() throws Exception {
        String a = CanonicalJson.of(JSON.readTree("{\"b\": 1, \"a\": {\"y\": [3, {\"d\": 1, \"c\": 2}], \"x\": null}}"));
        String b = CanonicalJson.of(JSON.readTree("{\"a\":{\"x\":null,\"y\":[3,{\"c\":2,\"d\":1}]},\"b\":1}"));
        assertEquals("{\"a\":{\"x\":null,\"y\":[3,{\"c\":2,\"d\":1}]},\"b\":1}", a);
        assertEquals(a, b);
    }

    @Test
    void knownVectors() {
        // SHA-256 of 64 zeros followed by "{}", computed independently with sha256sum.
        assertEquals("5508d2b710e64bc470079e1b211d9c58e21011e59d0559e422345dc19d659a75",
                HashChain.unkeyed(HashChain.GENESIS, "{}"));
        // HMAC-SHA256 with key "key" of the same text: printf '%s{}' 000...0 | openssl dgst -sha256 -hmac key
        assertEquals("78fb72535b3e150ee19302fcb7cd389f94471d845a0dfa5152d7a19647a2ad45", HashChain.keyed("key".getBytes(StandardCharsets.UTF_8), HashChain.GENESIS, "{}"));
    }

    static AuditEntry entry(long seq, String previousHash, String outcome, String keyId) throws Exception {
        return new AuditEntry(UUID.fromString("00000000-0000-0000-0000-00000000000" + seq), "conn-1", seq, "outcome",
                "m-" + seq, null, "outcome", outcome, "acme", "ada@example.com", "tok", "req", "10.0.0.1", "Okta",
                JSON.readTree("{\"b\":1,\"a\":2}"), Instant.parse("2026-01-01T00:00:00Z"), previousHash, keyId);
    }

    private static String value(AuditEntry entry) {
        return KEYS.chainValue(entry).orElseThrow();
    }

    @Test
    void eachValueCoversThePreviousValueEveryFieldAndTheKeyId() throws Exception {
        AuditEntry first = entry(1, HashChain.GENESIS, "applied", "k1");
        AuditEntry second = entry(2, value(first), "applied", "k1");

        assertEquals(value(first), value(entry(1, HashChain.GENESIS, "applied", "k1")));
        assertNotEquals(value(first), value(entry(1, HashChain.GENESIS, "rejected:uniqueness", "k1")));
        assertNotEquals(value(second), value(entry(2, HashChain.GENESIS, "applied", "k1")));
        ChainKeys renamed = ChainKeys.of(Map.of("k1", "k1-secret-of-at-least-thirty-two-bytes",
                "k2", "k1-secret-of-at-least-thirty-two-bytes"), "k2");
        assertNotEquals(value(first), renamed.chainValue(entry(1, HashChain.GENESIS, "applied", "k2")).orElseThrow(),
                "the key id is covered: the same secret under another id makes another value");
    }

    @Test
    void theKeyedValueNeedsTheKeyAndTheUnkeyedOneIsTheOldSha256() throws Exception {
        AuditEntry keyed = entry(1, HashChain.GENESIS, "applied", "k1");
        ChainKeys otherSecret = ChainKeys.of(Map.of("k1", "someone-else-s-secret-thirty-two-bytes"), "k1");
        assertNotEquals(value(keyed), otherSecret.chainValue(keyed).orElseThrow());

        AuditEntry unkeyed = entry(1, HashChain.GENESIS, "applied", null);
        assertEquals(HashChain.unkeyed(HashChain.GENESIS, unkeyed.canonical()), value(unkeyed));
        assertFalse(unkeyed.canonical().contains("keyId"), "records written before keys hash as they did");
    }

    @Test
    void payloadKeyOrderDoesNotChangeTheValue() throws Exception {
        AuditEntry stored = entry(1, HashChain.GENESIS, "applied", "k1");
        AuditEntry readBack = new AuditEntry(stored.id(), stored.connectionId(), stored.seq(), stored.kind(),
                stored.messageId(), stored.commandId(), stored.action(), stored.outcome(), stored.organization(),
                stored.user(), stored.tokenId(), stored.requestId(), stored.clientAddress(), stored.userAgent(),
                JSON.readTree("{\"a\": 2, \"b\": 1}"), stored.recordedAt(), stored.previousHash(), stored.keyId());
        assertEquals(value(stored), value(readBack));
    }
}
