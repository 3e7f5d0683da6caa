package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** A connection (one identity provider): its settings and the organizations it is linked to. */
@TemplateData
public record Connection(String id, String name, List<String> organizations, String defaultOrganization,
        String defaultTeam, String defaultRole, boolean scimEnabled, boolean jitEnabled, boolean jitAdoption) {

    public Connection {
        organizations = organizations == null ? List.of() : List.copyOf(organizations);
    }
}
