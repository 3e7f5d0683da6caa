package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** A connection's SCIM token as listed: never its secret. */
@TemplateData
public record ScimToken(String id, Instant createdAt, Instant lastUsedAt) {
}
