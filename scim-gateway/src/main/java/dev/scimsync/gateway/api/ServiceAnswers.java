package dev.scimsync.gateway.api;

import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.gateway.scim.ScimException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/** The owning services' answers to reads, as SCIM errors where they are not what was asked for. */
final class ServiceAnswers {

    private static final Logger LOG = Logger.getLogger(ServiceAnswers.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    private ServiceAnswers() {
    }

    /** A service that cannot be reached is a passing outage (503 with Retry-After), not a server error. */
    static Uni<Response> reaching(String service, Uni<Response> call) {
        return call.onFailure().transform(failure -> {
            LOG.warnf("%s could not be reached: %s", service, failure.toString());
            return ScimException.unavailable(service + " cannot be reached right now", RETRY_AFTER_SECONDS);
        });
    }

    /**
     * One resource: a 404 is the client's unknown id, anything else but 200 a passing outage.
     *
     * @param resource how the error names it, e.g. {@code Group 42}
     */
    static <T> T resource(Response answer, Class<T> type, String resource) {
        if (answer.getStatus() == 404) {
            throw ScimException.notFound(resource + " not found");
        }
        if (answer.getStatus() != 200) {
            throw ScimException.unavailable(resource + " could not be read right now", RETRY_AFTER_SECONDS);
        }
        return answer.readEntity(type);
    }

    /**
     * A page of a query: a 400 names a filter the service cannot evaluate, a 422 one it stopped evaluating for its
     * cost, a 429 a query that found the service running as many costly queries as it runs at once.
     */
    static <T> T page(Response answer, Class<T> type, String resources) {
        if (answer.getStatus() == 400) {
            Problem problem = answer.readEntity(Problem.class);
            throw ScimException.invalidFilter("the filter cannot be evaluated: " + problem.detail());
        }
        if (answer.getStatus() == 422) {
            Problem problem = answer.readEntity(Problem.class);
            throw ScimException.tooMany(problem.detail() + "; ask with a narrower filter ("
                    + ("groups".equals(resources) ? "displayName or id" : "userName, externalId or id")
                    + " eq are read from an index)");
        }
        if (answer.getStatus() == 429) {
            throw ScimException.tooManyRequests(resources + " could not be listed now: " + answer.readEntity(
                    Problem.class).detail(), RETRY_AFTER_SECONDS);
        }
        if (answer.getStatus() != 200) {
            throw ScimException.unavailable(resources + " could not be listed right now", RETRY_AFTER_SECONDS);
        }
        return answer.readEntity(type);
    }
}
