package dev.scimsync.groupsync;

import dev.scimsync.contracts.internal.ConnectionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** A fresh connection with linked organizations and users in {@link FakeMembership}, so tests never share state. */
public final class TestTenant {

    public final String connectionId = UUID.randomUUID().toString();
    public final String connectionName = "sso-" + connectionId.substring(0, 8);
    public final String organization = "acme-" + connectionId.substring(0, 8);
    public final String otherOrganization = "labs-" + connectionId.substring(0, 8);

    public TestTenant() {
        FakeMembership.CONNECTIONS.put(connectionId, new ConnectionSummary(connectionId, connectionName, true,
                List.of(organization, otherOrganization)));
        FakeMembership.TEAMS.put(organization, new ArrayList<>());
        FakeMembership.TEAMS.put(otherOrganization, new ArrayList<>());
    }

    /** New users of this connection, known to membership-service (not yet to group-sync). */
    public List<String> users(int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String id = UUID.randomUUID().toString();
            FakeMembership.USERS.put(id, new FakeMembership.User(id, connectionId, "user" + i + "-" + id.substring(0, 6)
                    + "@example.com", true, 1));
            return id;
        }).toList();
    }

    public String userName(String userId) {
        return FakeMembership.USERS.get(userId).userName();
    }
}
