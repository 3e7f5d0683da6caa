package dev.scimsync.contracts;

import java.time.Instant;
import java.util.List;

/**
 * What one gateway instance saw of connections' mis-configuration since its previous report, sent to
 * membership-service every few seconds ({@code POST /internal/v1/troubleshooting/reports}, the gateway only),
 * which adds it to its counters: every instance counts in memory and reports the sums, so the request path makes
 * no call for it. Lists are bounded by the gateway ({@link #MAX_NAME_LENGTH}, and a cap of names per connection).
 *
 * @param unknownAttributes     attributes and extension URNs the IdP sent that the resource's schema does not
 *                              define (dropped from the request)
 * @param failedAuthentications failed SCIM authentications with the id of a token the gateway knows: counted for
 *                              that token's connection
 * @param unattributed          failed SCIM authentications that name no known token: counted for no connection
 * @param refusedWhileScimOff   requests refused {@code 403} because the connection's SCIM is switched off, per
 *                              method and resource: a deactivation among them was not applied, and the admin must
 *                              learn who it was for (the IdP only records a failed task)
 */
public record TroubleshootingReport(List<UnknownAttribute> unknownAttributes,
        List<TokenFailures> failedAuthentications, List<UnattributedFailures> unattributed,
        List<RefusedWhileScimOff> refusedWhileScimOff) {

    /** The longest attribute name kept; a longer one is cut there (it is still an attribute nobody defines). */
    public static final int MAX_NAME_LENGTH = 200;

    /** An attribute name: {@code department}, {@code name.nickName2}, {@code urn:...:enterprise:2.0:User:x}. */
    public static final String ATTRIBUTE = "attribute";
    /** A key in the namespace of a schema URN the resource type does not have. */
    public static final String EXTENSION = "extension";

    /** No {@code Authorization: Bearer} header. */
    public static final String MISSING = "missing";
    /** A bearer token that is not {@code scim_<id>_<secret>}. */
    public static final String MALFORMED = "malformed";
    /** A SCIM token whose id no connection has. */
    public static final String UNKNOWN_TOKEN = "unknown-token";

    /** How a refusal with a method SCIM does not use is counted (the method is the client's to choose). */
    public static final String OTHER_METHOD = "other";
    /** The methods a refusal is counted under: SCIM's, and {@link #OTHER_METHOD} for any other. */
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", OTHER_METHOD);

    /** The resource types a refusal names; a request to any other path ({@code /Schemas}, a list) names none. */
    public static final String USER = "User";
    public static final String GROUP = "Group";
    /**
     * What a resource id kept must look like: ours are UUIDs; anything else of up to 64 URL-safe characters is kept
     * as sent (a stale id, another server's), and the rest - longer, or with characters no id of ours has, such as
     * U+0000, which PostgreSQL does not store - is counted without it.
     */
    public static final java.util.regex.Pattern RESOURCE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._~-]{1,64}");

    public TroubleshootingReport {
        unknownAttributes = unknownAttributes == null ? List.of() : List.copyOf(unknownAttributes);
        failedAuthentications = failedAuthentications == null ? List.of() : List.copyOf(failedAuthentications);
        unattributed = unattributed == null ? List.of() : List.copyOf(unattributed);
        refusedWhileScimOff = refusedWhileScimOff == null ? List.of() : List.copyOf(refusedWhileScimOff);
    }

    public boolean isEmpty() {
        return unknownAttributes.isEmpty() && failedAuthentications.isEmpty() && unattributed.isEmpty()
                && refusedWhileScimOff.isEmpty();
    }

    /**
     * @param resourceType {@code User} or {@code Group}
     * @param kind         {@link #ATTRIBUTE} or {@link #EXTENSION}
     */
    public record UnknownAttribute(String connectionId, String resourceType, String name, String kind, long count,
            Instant firstSeen, Instant lastSeen) {
    }

    public record TokenFailures(String connectionId, String tokenId, long count, Instant firstSeen,
            Instant lastSeen) {
    }

    /** @param reason {@link #MISSING}, {@link #MALFORMED} or {@link #UNKNOWN_TOKEN} */
    public record UnattributedFailures(String reason, long count, Instant firstSeen, Instant lastSeen) {
    }

    /**
     * Requests of one method to one resource, refused because the connection's SCIM is off.
     *
     * @param method       one of {@link #METHODS}
     * @param resourceType {@link #USER}, {@link #GROUP}, or null for a request naming neither
     * @param resourceId   the id in the path ({@code /Users/{id}}), or null: none, or past the tally's bounds
     */
    public record RefusedWhileScimOff(String connectionId, String method, String resourceType, String resourceId,
            long count, Instant firstSeen, Instant lastSeen) {
    }
}
