package dev.scimsync.gateway.scim;

import java.net.URI;

/**
 * Where this server's SCIM resources live, for {@code meta.location} and the {@code $ref} of references
 * between users and groups.
 *
 * @param base the SCIM base URL, e.g. {@code https://scim.example.com/scim/v2}
 */
public record ScimEndpoints(URI base) {

    public URI users() {
        return under("Users");
    }

    public URI groups() {
        return under("Groups");
    }

    public URI user(String id) {
        return under("Users/" + id);
    }

    public URI group(String id) {
        return under("Groups/" + id);
    }

    private URI under(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + "/" + path);
    }
}
