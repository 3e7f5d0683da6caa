package dev.scimsync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.ScimCredential;
import dev.scimsync.contracts.ScimTokens;
import dev.scimsync.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The gateway's copy of scim.credentials: a revocation is never undone by an older record read after it. */
class ScimCredentialCacheTest {

    private static final String TOKEN = "scim_0123456789ab_secret-0123456789abcdef0123456789";

    private final ScimCredentialCache cache = new ScimCredentialCache(new ScimCredentialsReadiness());
    private long offset;

    private void read(ScimCredential credential) {
        cache.onCredential(new ConsumerRecord<>(Topics.SCIM_CREDENTIALS, 0, offset++, credential.tokenId(), credential));
    }

    private static ScimCredential live() {
        ScimTokens.PresentedToken parsed = ScimTokens.parse(TOKEN).orElseThrow();
        return ScimCredential.verified(parsed.id(), "c-1", "acme-sso", parsed.secret(), true);
    }

    @Test
    void aTokenRevokedHereStaysRevokedWhenItsEarlierLiveRecordArrivesLate() {
        cache.revokedHere("0123456789ab");

        read(live());

        assertTrue(cache.find("0123456789ab").orElseThrow().revoked(), "the live record from its issue came late");
        assertFalse(cache.find("0123456789ab").orElseThrow().accepts("secret-0123456789abcdef0123456789"));
    }

    @Test
    void aRevocationReadFromTheTopicEndsALiveToken() {
        read(live());
        assertTrue(cache.find("0123456789ab").orElseThrow().accepts("secret-0123456789abcdef0123456789"));

        read(new ScimCredential("0123456789ab", "c-1", "acme-sso", null, null, true, true));

        assertTrue(cache.find("0123456789ab").orElseThrow().revoked());
    }
}
