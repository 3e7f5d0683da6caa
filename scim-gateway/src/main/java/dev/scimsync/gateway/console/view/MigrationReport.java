package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A migration's report: who SCIM may adopt, and who not and why. {@code from} names the old connection of a
 * connection-to-connection migration; null for the JIT-to-SCIM migration.
 */
@TemplateData
public record MigrationReport(boolean dryRun, String from, List<String> adoptable, List<NotAdoptable> notAdoptable) {

    public MigrationReport {
        adoptable = adoptable == null ? List.of() : List.copyOf(adoptable);
        notAdoptable = notAdoptable == null ? List.of() : List.copyOf(notAdoptable);
    }

    @TemplateData
    public record NotAdoptable(String email, String reason) {
    }
}
