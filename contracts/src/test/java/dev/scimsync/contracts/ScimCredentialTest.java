package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScimCredentialTest {

    private static final byte[] SALT = new byte[16];

    /** The record as membership-service's outbox trigger writes it: bytea as base64 text. */
    private static ScimCredential published(boolean revoked) {
        String json = """
                {"eventId":"7d0c2a52-2d8f-4c1b-9d6c-0e6f0e0c1a11","tokenId":"0123456789ab",
                 "connectionId":"5b0c3c2e-8f5e-4c55-9d55-2f1f3f0d6a11","connectionName":"okta",
                 "salt":%s,"secretHash":%s,"scimEnabled":true,"revoked":%s,"occurredAt":"2026-01-01T00:00:00.000000Z"}
                """.formatted(revoked ? "null" : "\"" + Base64.getEncoder().encodeToString(SALT) + "\"",
                revoked ? "null" : "\"" + Base64.getEncoder().encodeToString(ScimTokens.hash(SALT, "the-secret")) + "\"",
                revoked);
        return ContractJson.read(json.getBytes(StandardCharsets.UTF_8), ScimCredential.class);
    }

    @Test
    void aPublishedLiveTokenAcceptsOnlyItsSecret() {
        ScimCredential live = published(false);
        assertEquals("0123456789ab", live.tokenId());
        assertEquals("okta", live.connectionName());
        assertTrue(live.accepts("the-secret"));
        assertFalse(live.accepts("another-secret"));
    }

    @Test
    void aRevokedTokenAcceptsNothing() {
        assertFalse(published(true).accepts("the-secret"));
        ScimCredential stillHashed = new ScimCredential("0123456789ab", null, null, SALT,
                ScimTokens.hash(SALT, "the-secret"), true, true);
        assertFalse(stillHashed.accepts("the-secret"));
    }

    @Test
    void aLocallyVerifiedTokenAcceptsItsSecretAndHidesItsHash() {
        ScimCredential verified = ScimCredential.verified("0123456789ab", "c", "okta", "the-secret", true);
        assertTrue(verified.accepts("the-secret"));
        assertFalse(verified.accepts("the-secret!"));
        assertFalse(verified.toString().contains("salt"));
    }
}
