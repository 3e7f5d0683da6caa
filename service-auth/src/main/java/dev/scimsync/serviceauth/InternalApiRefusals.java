package dev.scimsync.serviceauth;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Internal API refusals in the services' error format ({@code {"status":..,"detail":..}}) rather than Quarkus's
 * empty bodies: 401 for a caller without valid service credentials, 403 for a service that may not call the
 * path.
 */
@ApplicationScoped
public class InternalApiRefusals {

    void register(@Observes Router router) {
        router.route("/internal/*").order(Integer.MIN_VALUE).failureHandler(this::refuse);
    }

    private void refuse(RoutingContext context) {
        Throwable failure = context.failure();
        if (context.response().headWritten()) {
            context.next();
        } else if (failure instanceof AuthenticationException || failure instanceof UnauthorizedException) {
            unauthorized(context);
        } else if (failure instanceof ForbiddenException) {
            answer(context, 403, "this service may not call " + context.request().path());
        } else {
            context.next();
        }
    }

    static void unauthorized(RoutingContext context) {
        context.response().putHeader("WWW-Authenticate", "Bearer");
        answer(context, 401, "service credentials required: a bearer token signed by a calling service's key");
    }

    private static void answer(RoutingContext context, int status, String detail) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", status).put("detail", detail).encode());
    }
}
