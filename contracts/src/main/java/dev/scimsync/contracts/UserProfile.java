package dev.scimsync.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A user's attributes as the IdP set them.
 *
 * @param userName   the unique (case-insensitive, per connection) user name - the primary email
 * @param attributes every other writable attribute, in the gateway's own representation, stored as sent
 * @param placement  the organization, team and role the IdP asks for; null means the connection's defaults
 */
public record UserProfile(String userName, String externalId, boolean active, ObjectNode attributes,
        Placement placement) {

    public UserProfile {
        Objects.requireNonNull(userName, "userName");
        if (userName.isBlank()) {
            throw new IllegalArgumentException("userName must not be blank");
        }
        Objects.requireNonNull(attributes, "attributes");
        if (placement == null) {
            placement = Placement.DEFAULTS;
        }
    }

    public UserProfile(String userName, String externalId, boolean active, ObjectNode attributes) {
        this(userName, externalId, active, attributes, Placement.DEFAULTS);
    }

    public UserProfile withActive(boolean state) {
        return new UserProfile(userName, externalId, state, attributes, placement);
    }
}
