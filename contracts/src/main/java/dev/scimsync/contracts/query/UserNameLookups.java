package dev.scimsync.contracts.query;

import dev.scimsync.contracts.UserSnapshot;
import java.util.List;

/**
 * {@code userName eq} lookups - the one an IdP makes before every create - of any connections, answered by
 * membership-service in one call and one statement. The gateway sends the lookups that arrive while its previous
 * call is answered together, so under load a lookup costs a share of an internal request instead of one.
 *
 * @param lookups in the order the answer refers to them
 */
public record UserNameLookups(List<Lookup> lookups) {

    /** At most this many lookups in one call: membership-service refuses more. */
    public static final int MOST = 500;

    public UserNameLookups {
        lookups = List.copyOf(lookups);
    }

    /** The SCIM-provisioned user of {@code connectionId} whose userName equals {@code userName}, ignoring case. */
    public record Lookup(String connectionId, String userName) {
    }

    /** The user found for the lookup at index {@code lookup}. */
    public record Found(int lookup, UserSnapshot user) {
    }

    /** The users found; a lookup with none found is not in it. */
    public record Answer(List<Found> found) {

        public Answer {
            found = List.copyOf(found);
        }
    }
}
