package dev.scimsync.contracts.internal;

/** The connection a verified SCIM token belongs to ({@link ScimTokenVerification}). */
public record VerifiedScimToken(String tokenId, String connectionId, String connectionName, boolean scimEnabled) {
}
