package dev.scimsync.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the outbox relay streams (or when it is disabled because Kafka Connect captures the outbox). */
@Readiness
@ApplicationScoped
public class OutboxRelayHealth implements HealthCheck {

    private final OutboxRelayRunner runner;

    public OutboxRelayHealth(OutboxRelayRunner runner) {
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Outbox relay")
                .status(!runner.enabled() || runner.streaming())
                .withData("enabled", runner.enabled())
                .build();
    }
}
