package dev.scimsync.membership.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserProfile;

/** Profiles and origins for the command tests. */
final class CommandTestSupport {

    private CommandTestSupport() {
    }

    static UserProfile profile(String userName, boolean active, String attributesJson) {
        try {
            return new UserProfile(userName, null, active, (ObjectNode) ContractJson.mapper().readTree(attributesJson));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static CommandOrigin origin() {
        return new CommandOrigin("0123456789ab", "req-1", "127.0.0.1", "test");
    }
}
