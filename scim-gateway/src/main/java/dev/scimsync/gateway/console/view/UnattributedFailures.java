package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** Failed authentications that name no connection ({@code missing}, {@code malformed}, {@code unknown-token}). */
@TemplateData
public record UnattributedFailures(String reason, long count, Instant firstSeen, Instant lastSeen,
        String suggestedFix) {
}
