package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;

/** A connection's mass-deprovisioning guard: its threshold and where the current window stands. */
@TemplateData
public record Guard(Settings settings, long activeMembers, long deprovisionedInWindow) {

    @TemplateData
    public record Settings(boolean enabled, int percent, int maxMembers, int minMembers, int windowMinutes) {
    }
}
