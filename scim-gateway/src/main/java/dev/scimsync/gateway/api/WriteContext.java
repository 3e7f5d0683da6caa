package dev.scimsync.gateway.api;

import dev.scimsync.contracts.CommandOrigin;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.scim.ScimEndpoints;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

/**
 * What every write of one SCIM request shares, taken from the request once: the connection it writes for, who sent
 * it (the commands' origin, for the audit log) and where the answered resources are addressed. The operations of a
 * Bulk request all carry the Bulk request's context.
 */
record WriteContext(String connectionId, CommandOrigin origin, ScimEndpoints endpoints) {

    static WriteContext of(ScimCaller caller, UriInfo uri, HttpHeaders headers, HttpServerRequest http) {
        return new WriteContext(caller.connectionId(), ScimRequests.origin(caller, headers, http),
                ScimRequests.endpoints(uri));
    }
}
