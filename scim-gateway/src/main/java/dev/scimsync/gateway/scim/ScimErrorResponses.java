package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Builds the SCIM error body: {@code status} is a string, {@code scimType} only where the RFC defines one. */
public final class ScimErrorResponses {

    private ScimErrorResponses() {
    }

    public static Response of(ScimException error) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("schemas").add(ScimSchemas.ERROR);
        body.put("status", Integer.toString(error.status()));
        if (error.scimType() != null) {
            body.put("scimType", error.scimType());
        }
        body.put("detail", error.detail());
        Response.ResponseBuilder response = Response.status(error.status()).type(ScimSchemas.MEDIA_TYPE).entity(body);
        error.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        if (error.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scim\"");
        }
        return response.build();
    }
}
