package dev.scimsync.gateway.api;

import dev.scimsync.serviceauth.ServiceNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which service owns each admin API path (relative to {@code /admin/v1/}): audit-service for
 * {@code audit/...}, group-sync-service for a connection's groups and group mappings and an organization's
 * teams, membership-service for the rest. The admin API proxy and the console both route through here, so
 * the console can never reach a path the admin API does not serve.
 */
@ApplicationScoped
public class AdminRoutes {

    private static final Pattern GROUP_SYNC_PATHS = Pattern.compile(
            "(connections/[^/]+/(group-mappings|groups)|organizations/[^/]+/teams)(/.*)?");

    private final URI membership;
    private final URI audit;
    private final URI groupSync;

    public AdminRoutes(@ConfigProperty(name = "quarkus.rest-client.membership.url") URI membership,
            @ConfigProperty(name = "admin.audit-url") URI audit,
            @ConfigProperty(name = "admin.group-sync-url") URI groupSync) {
        this.membership = membership;
        this.audit = audit;
        this.groupSync = groupSync;
    }

    /** Where the service that answers an admin path listens. */
    public URI owner(String rawPath) {
        return switch (ownerService(rawPath)) {
            case ServiceNames.AUDIT_SERVICE -> audit;
            case ServiceNames.GROUP_SYNC_SERVICE -> groupSync;
            default -> membership;
        };
    }

    /** The name of the service that answers an admin path: the audience of the gateway's token for the call. */
    public String ownerService(String rawPath) {
        // audit-service reads every service's dead-letter topic and replays from it.
        if (rawPath.startsWith("audit/") || rawPath.equals("dead-letters") || rawPath.startsWith("dead-letters/")) {
            return ServiceNames.AUDIT_SERVICE;
        }
        return GROUP_SYNC_PATHS.matcher(rawPath).matches() ? ServiceNames.GROUP_SYNC_SERVICE
                : ServiceNames.MEMBERSHIP_SERVICE;
    }

    /** The owner's path for an admin path and its query (both still encoded). */
    public static String internalUri(String rawPath, String rawQuery) {
        return "/internal/v1/admin/" + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }
}
