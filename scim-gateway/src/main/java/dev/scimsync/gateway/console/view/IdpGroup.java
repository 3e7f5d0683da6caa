package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;

/**
 * A group the IdP pushed and the team it fills, if any.
 *
 * @param mappedBy       {@code explicit} (a mapping), {@code name} (named organization:team) or {@code unmapped}
 * @param unmappedReason why an unmapped group fills no team
 */
@TemplateData
public record IdpGroup(String groupId, String displayName, int members, String mappedBy, String organization,
        String team, String role, String unmappedReason) {
}
