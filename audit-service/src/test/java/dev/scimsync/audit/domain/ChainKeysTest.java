package dev.scimsync.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChainKeysTest {

    private static final String SECRET = "a-secret-of-thirty-two-bytes-or-more";

    @Test
    void theCurrentKeyMustBeConfigured() {
        var refused = assertThrows(IllegalArgumentException.class, () -> ChainKeys.of(Map.of("k1", SECRET), "k2"));
        assertEquals("the current audit chain key 'k2' is not among the configured keys [k1] (audit.chain.keys.k2)",
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChainKeys.of(Map.of(), "k1"));
    }

    @Test
    void shortSecretsAndKeyIdsAnEnvironmentVariableCannotSpellAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChainKeys.of(Map.of("k1", "short"), "k1"));
        assertThrows(IllegalArgumentException.class, () -> ChainKeys.of(Map.of("key-2026", SECRET), "key-2026"));
        assertThrows(IllegalArgumentException.class, () -> ChainKeys.of(Map.of("K1", SECRET), "K1"));
        assertEquals("k2026", ChainKeys.of(Map.of("k2026", SECRET), "k2026").currentKeyId());
    }
}
