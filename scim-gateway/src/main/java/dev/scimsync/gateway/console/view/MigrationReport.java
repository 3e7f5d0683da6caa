package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** The JIT-to-SCIM migration's report: who SCIM may adopt, and who not and why. */
@TemplateData
public record MigrationReport(boolean dryRun, List<String> adoptable, List<NotAdoptable> notAdoptable) {

    public MigrationReport {
        adoptable = adoptable == null ? List.of() : List.copyOf(adoptable);
        notAdoptable = notAdoptable == null ? List.of() : List.copyOf(notAdoptable);
    }

    @TemplateData
    public record NotAdoptable(String email, String reason) {
    }
}
