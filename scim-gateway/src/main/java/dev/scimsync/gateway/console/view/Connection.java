package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A connection (one identity provider): its settings and the organizations it is linked to; {@code adoptsFrom}, the
 * connection whose members its SCIM creates adopt (moving an organization to this IdP), or null.
 */
@TemplateData
public record Connection(String id, String name, List<String> organizations, String defaultOrganization,
        String defaultTeam, String defaultRole, boolean scimEnabled, boolean jitEnabled, boolean jitAdoption,
        String adoptsFrom) {

    public Connection {
        organizations = organizations == null ? List.of() : List.copyOf(organizations);
    }
}
