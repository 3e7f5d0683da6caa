package dev.scimsync.contracts.query;

import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.GroupSnapshot;
import java.util.List;

/**
 * One page of groups, each with its members when they were asked for, and the number that match in all.
 *
 * @param more whether groups follow this page in the query's order: also when the page holds fewer groups than
 *             asked for because of their members (a cursor page then has a next cursor)
 */
public record GroupPage(long total, List<Entry> groups, boolean more) {

    /** @param members null when members were not asked for */
    public record Entry(GroupSnapshot group, List<GroupMember> members) {
    }

    public GroupPage {
        groups = List.copyOf(groups);
    }
}
