package dev.scimsync.serviceauth;

import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * A caller with no token at all is answered by the authentication mechanism's challenge, not by a failure handler:
 * the challenge (401, {@code WWW-Authenticate: Bearer}) gets the services' error body like every other refusal.
 */
@Decorator
@Priority(1)
public abstract class InternalApiChallenge implements HttpAuthenticationMechanism {

    @Inject
    @Delegate
    @Any
    HttpAuthenticationMechanism mechanism;

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        InternalApiRefusals.unauthorized(context);
        return Uni.createFrom().item(true);
    }
}
