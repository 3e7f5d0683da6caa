package dev.scimsync.groupsync.messaging;

import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.groupsync.TestTenant;
import java.time.Instant;

/** User snapshots as membership-service publishes them in its outcomes. */
final class UserSnapshots {

    private UserSnapshots() {
    }

    static UserSnapshot of(String userId, TestTenant tenant, boolean active, long version) {
        return new UserSnapshot(userId, tenant.connectionId, new UserProfile(tenant.userName(userId), null, active,
                dev.scimsync.contracts.ContractJson.mapper().createObjectNode()), version, Instant.now(), Instant.now());
    }
}
