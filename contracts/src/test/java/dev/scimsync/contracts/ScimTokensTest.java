package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScimTokensTest {

    private static final String TOKEN = "scim_0123456789ab_abcdefghijklmnopqrstuvwxyz-_0123";

    @Test
    void splitsIdAndSecret() {
        var parsed = ScimTokens.parse(TOKEN).orElseThrow();
        assertEquals("0123456789ab", parsed.id());
        assertEquals("abcdefghijklmnopqrstuvwxyz-_0123", parsed.secret());
    }

    @Test
    void toleratesSurroundingWhitespaceFromCopyAndPaste() {
        assertTrue(ScimTokens.parse("  " + TOKEN + "\n").isPresent());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer " + TOKEN, "scim_0123456789AB_abcdefghijklmnopqrstuvwxyz",
            "scim_0123456789ab_short", "token_0123456789ab_abcdefghijklmnopqrstuvwxyz", "scim_0123456789ab"})
    void rejectsWhatIsNotAToken(String value) {
        assertTrue(ScimTokens.parse(value).isEmpty());
    }

    @Test
    void theSecretNeverAppearsInToString() {
        assertFalse(ScimTokens.parse(TOKEN).orElseThrow().toString().contains("abcdefghij"));
    }

    @Test
    void matchesOnlyTheSecretItWasHashedFrom() {
        byte[] salt = ScimTokens.newSalt();
        byte[] hash = ScimTokens.hash(salt, "right-secret");
        assertTrue(ScimTokens.matches("right-secret", salt, hash));
        assertFalse(ScimTokens.matches("wrong-secret", salt, hash));
        assertFalse(ScimTokens.matches("right-secret", ScimTokens.newSalt(), hash));
    }

    @Test
    void generatedTokensParseBackToTheirHalves() {
        var fresh = ScimTokens.generate();
        var parsed = ScimTokens.parse(fresh.token()).orElseThrow();
        assertEquals(fresh.id(), parsed.id());
        assertEquals(fresh.secret(), parsed.secret());
        assertFalse(fresh.toString().contains(fresh.secret()));
    }

    @Test
    void theSaltChangesTheHash() {
        byte[] a = ScimTokens.hash(new byte[16], "secret");
        byte[] b = ScimTokens.hash(ScimTokens.newSalt(), "secret");
        assertFalse(java.util.Arrays.equals(a, b));
        assertArrayEquals(a, ScimTokens.hash(new byte[16], "secret"));
    }
}
