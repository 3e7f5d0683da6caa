package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopedAdminTokensTest {

    @Test
    void aGeneratedTokenParsesBackToItsIdAndSecret() {
        var fresh = ScopedAdminTokens.generate();
        var parsed = ScopedAdminTokens.parse(fresh.token()).orElseThrow();
        assertEquals(fresh.id(), parsed.id());
        assertEquals(fresh.secret(), parsed.secret());
        assertEquals(12, parsed.id().length());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "adm_0123456789abcdefghijklmnopqrstuvwxyz",
            "scim_0123456789ab_abcdefghijklmnopqrstuvwxyz",
            "orgadm_0123456789AB_abcdefghijklmnopqrstuvwxyz", "orgadm_0123456789ab_short", "orgadm_0123456789ab"})
    void refusesWhatIsNotAScopedAdminToken(String value) {
        assertTrue(ScopedAdminTokens.parse(value).isEmpty());
    }

    @Test
    void theCheckCarriesTheDigestOfTheSecretNotTheSecret() {
        var fresh = ScopedAdminTokens.generate();
        var check = ScopedAdminTokens.parse(fresh.token()).orElseThrow().check();
        assertEquals(fresh.id(), check.tokenId());
        assertFalse(check.secretDigest().contains(fresh.secret()));
        assertTrue(ScopedAdminTokens.matches(check.secretDigest(), ScopedAdminTokens.digestBytes(fresh.secret())));
        assertFalse(ScopedAdminTokens.matches(ScopedAdminTokens.digest("another secret"),
                ScopedAdminTokens.digestBytes(fresh.secret())));
        assertFalse(ScopedAdminTokens.matches("not base64url!", ScopedAdminTokens.digestBytes(fresh.secret())));
        assertFalse(ScopedAdminTokens.matches(null, ScopedAdminTokens.digestBytes(fresh.secret())));
    }

    @Test
    void theSecretNeverAppearsInToString() {
        var fresh = ScopedAdminTokens.generate();
        assertFalse(fresh.toString().contains(fresh.secret()));
        assertFalse(ScopedAdminTokens.parse(fresh.token()).orElseThrow().toString().contains(fresh.secret()));
    }
}
