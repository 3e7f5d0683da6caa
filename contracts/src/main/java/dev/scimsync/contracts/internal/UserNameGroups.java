package dev.scimsync.contracts.internal;

import dev.scimsync.contracts.GroupMember;
import java.util.List;

/**
 * The groups of a connection's user named by its userName ({@code POST
 * /internal/v1/connections/{connectionId}/users/groups-by-user-name} on group-sync-service, asked with a
 * {@link Request}): the user's id and its groups, or no id when group-sync-service knows no single user of that name
 * (ignoring case) in the connection. The gateway asks it beside a {@code userName eq} lookup, before
 * membership-service has answered, and shows the groups only when {@code userId} is the found user's id.
 */
public record UserNameGroups(String userId, List<GroupMember> groups) {

    /** No single user of that name in group-sync-service's directory of the connection's users. */
    public static final UserNameGroups UNKNOWN = new UserNameGroups(null, List.of());

    /** The userName, as the IdP's filter gave it. */
    public record Request(String userName) {
    }
}
