package dev.scimsync.contracts;

import java.time.Instant;
import java.util.List;

/**
 * Every place a SCIM user's IdP groups give it now, as group-sync-service publishes it on
 * {@link Topics#GROUP_PLACEMENTS} (keyed by user id) whenever that changes: the user joined or left a mapped
 * group, a group was renamed, mapped, unmapped or deleted. membership-service makes the user a member of each
 * organization named here (a seat, the highest role its groups give there) and ends the memberships only groups
 * gave that are no longer named. The whole set travels each time, so the latest record of a user is its state:
 * a redelivered or replayed record changes nothing. Written by group-sync-service's outbox triggers (V7), whose
 * JSON field names these are.
 *
 * @param placements empty when no mapped group holds the user any more
 */
public record GroupPlacements(String eventId, String userId, String connectionId, List<Place> placements,
        Instant occurredAt) {

    public GroupPlacements {
        placements = placements == null ? List.of() : List.copyOf(placements);
    }

    /**
     * One mapped group the user is in: the organization and team it maps to, the role its mapping gives
     * ({@code member} for a group mapped by its {@code organization:team} name), and its display name.
     */
    public record Place(String organization, String team, String role, String group) {
    }
}
