package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** An admin's invitation to an organization: {@code pending} until it is accepted, revoked or {@code expired}. */
@TemplateData
public record Invitation(String email, String role, Instant createdAt, Instant expiresAt, String state) {

    public boolean expired() {
        return "expired".equals(state);
    }
}
