package dev.scimsync.contracts;

/**
 * The current state of one SCIM token, as membership-service publishes it on {@link Topics#SCIM_CREDENTIALS}
 * (keyed by token id; the topic is compacted, so a token's latest record is its state) for the gateway to
 * verify bearer tokens without asking membership-service. Written by the database triggers of
 * membership-service's outbox (V10), whose JSON field names these are.
 *
 * <p>The salted SHA-256 of a 256-bit random secret travels here: unlike a password hash it cannot be reversed
 * by guessing, so knowing it does not let anyone present the token. A token that is revoked, deleted, or
 * whose connection is deleted is published as {@code revoked}, without salt or hash.
 *
 * @param connectionId   null once the connection is deleted
 * @param connectionName the name refusals and rate limits report
 * @param scimEnabled    false while SCIM is switched off for the connection: its tokens are refused (403)
 */
public record ScimCredential(String tokenId, String connectionId, String connectionName, byte[] salt,
        byte[] secretHash, boolean scimEnabled, boolean revoked) {

    /** The state of a token the caller has just seen verified, its secret hashed here with a salt of its own. */
    public static ScimCredential verified(String tokenId, String connectionId, String connectionName, String secret,
            boolean scimEnabled) {
        byte[] salt = ScimTokens.newSalt();
        return new ScimCredential(tokenId, connectionId, connectionName, salt, ScimTokens.hash(salt, secret),
                scimEnabled, false);
    }

    /** Whether the presented secret is this token's and the token is live (SCIM may still be off: see scimEnabled). */
    public boolean accepts(String secret) {
        return !revoked && salt != null && secretHash != null && ScimTokens.matches(secret, salt, secretHash);
    }

    @Override
    public String toString() {
        return "ScimCredential[tokenId=" + tokenId + ", connectionId=" + connectionId + ", connectionName="
                + connectionName + ", scimEnabled=" + scimEnabled + ", revoked=" + revoked + "]";
    }
}
