package dev.scimsync.gateway.api;

import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimSchemas;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /Me} (RFC 7644 section 3.11) is not supported: a SCIM token here belongs to an IdP connection, not to a
 * user, so there is no "me" to alias. The RFC's answer for that is 501, whatever the method; before this, /Me
 * answered 404, which an IdP reads as "that user is gone". Authenticated like every SCIM call. (Paths under it,
 * /Me/..., stay 404: they exist only where /Me does.)
 */
@Path("/scim/v2/Me")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimMeResource {

    private static ScimException notSupported() {
        return ScimException.notImplemented("/Me is not supported: SCIM tokens here belong to an IdP connection, "
                + "not to a user; use /Users/{id}");
    }

    @GET
    public void get() {
        throw notSupported();
    }

    @POST
    public void post() {
        throw notSupported();
    }

    @PUT
    public void put() {
        throw notSupported();
    }

    @PATCH
    public void patch() {
        throw notSupported();
    }

    @DELETE
    public void delete() {
        throw notSupported();
    }
}
