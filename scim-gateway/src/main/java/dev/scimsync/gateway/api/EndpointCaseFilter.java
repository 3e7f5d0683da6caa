package dev.scimsync.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * IdPs and test tools spell endpoint names in any case ({@code /users}, {@code /USERS}); they name the
 * same resources, so the path is brought to the canonical spelling before routing.
 */
public class EndpointCaseFilter {

    private static final String BASE = "/scim/v2/";
    private static final List<String> ENDPOINTS = List.of("Users", "Groups", "Bulk", "ServiceProviderConfig",
            "ResourceTypes", "Schemas");

    @ServerRequestFilter(preMatching = true)
    public void canonicalEndpoint(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path == null || !path.startsWith(BASE)) {
            return;
        }
        String rest = path.substring(BASE.length());
        int end = rest.indexOf('/');
        String segment = end < 0 ? rest : rest.substring(0, end);
        for (String endpoint : ENDPOINTS) {
            if (segment.equalsIgnoreCase(endpoint) && !segment.equals(endpoint)) {
                String canonical = BASE + endpoint + (end < 0 ? "" : rest.substring(end));
                request.setRequestUri(URI.create(uri.toString().replaceFirst(java.util.regex.Pattern.quote(path),
                        java.util.regex.Matcher.quoteReplacement(canonical))));
                return;
            }
        }
    }
}
