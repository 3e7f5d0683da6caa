package dev.scimsync.contracts.query;

import dev.scimsync.contracts.UserSnapshot;
import java.util.List;

/**
 * One page of a {@link ResourceQuery}'s result and the number of users that match in all.
 *
 * @param more whether users follow this page in the query's order (a cursor page then has a next cursor)
 */
public record UserPage(long total, List<UserSnapshot> users, boolean more) {

    public UserPage {
        users = List.copyOf(users);
    }
}
