package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** An organization's admin token as the admin API lists it (never its secret); {@code expiresAt} null: never. */
@TemplateData
public record AdminToken(String id, String label, Instant createdAt, Instant lastUsedAt, Instant revokedAt,
        Instant expiresAt) {

    /** {@code revoked}, {@code expired} or {@code active}: whether the token still admits its holder. */
    public String state() {
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt != null && !expiresAt.isAfter(Instant.now()) ? "expired" : "active";
    }

    /** A token just issued: the only answer that carries its secret, shown once. */
    @TemplateData
    public record Issued(String id, String token, Instant expiresAt) {
    }
}
