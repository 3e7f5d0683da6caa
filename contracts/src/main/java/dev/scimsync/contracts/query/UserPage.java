package dev.scimsync.contracts.query;

import dev.scimsync.contracts.UserSnapshot;
import java.util.List;

/** One page of a {@link ResourceQuery}'s result and the number of users that match in all. */
public record UserPage(long total, List<UserSnapshot> users) {

    public UserPage {
        users = List.copyOf(users);
    }
}
