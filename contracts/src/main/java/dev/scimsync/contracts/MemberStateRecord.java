package dev.scimsync.contracts;

import java.util.List;

/**
 * A member's whole current state in one organization, as membership-service publishes it on
 * {@link Topics#MEMBERSHIP_STATE}: the latest record of a key is the state, a tombstone (null value) means the
 * member is no longer in the organization. Written by the triggers of membership-service's outbox (V14), whose
 * JSON field names these are.
 *
 * @param teams        the teams of that organization the member is in through SCIM placement or JIT sign-in
 *                     (teams that come from IdP groups are group-sync-service's, on {@link Topics#TEAM_EVENTS})
 * @param state        {@code active} or {@code deactivated} (a deactivated member holds no seat)
 * @param source       {@code scim}, {@code jit}, {@code manual} or {@code invite}
 * @param connectionId null for a member added by hand
 */
public record MemberStateRecord(String organizationId, String organization, String memberId, String userName,
        String externalId, String connectionId, String role, String state, String source, List<String> teams) {

    /** The record key: one member in one organization. */
    public static String key(String organizationId, String memberId) {
        return organizationId + "/" + memberId;
    }
}
