package dev.scimsync.contracts.internal;

/**
 * A SCIM bearer token the gateway has not seen on the credentials topic yet (issued a moment ago), sent whole to
 * membership-service to learn its connection ({@code POST /internal/v1/scim-tokens/verify}: 200 with a
 * {@link VerifiedScimToken}, 401 for a token it does not know).
 */
public record ScimTokenVerification(String token) {

    @Override
    public String toString() {
        return "ScimTokenVerification[token=(hidden)]";
    }
}
