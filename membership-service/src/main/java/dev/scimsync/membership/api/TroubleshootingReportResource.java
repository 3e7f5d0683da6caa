package dev.scimsync.membership.api;

import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.membership.persistence.TroubleshootingCounters;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;

/**
 * Internal (the gateway only): each gateway instance reports every few seconds what it saw of mis-configured IdPs
 * - unknown attributes, failed SCIM authentications, requests refused because SCIM is off - and the counts are added here, for the admin's
 * troubleshooting page. A report that breaks the contract is refused whole (400), which the gateway does not send
 * again.
 */
@Path("/internal/v1/troubleshooting/reports")
public class TroubleshootingReportResource {

    private static final Set<String> RESOURCE_TYPES = Set.of("User", "Group");
    private static final Set<String> KINDS = Set.of(TroubleshootingReport.ATTRIBUTE, TroubleshootingReport.EXTENSION);
    private static final Set<String> REASONS = Set.of(TroubleshootingReport.MISSING, TroubleshootingReport.MALFORMED,
            TroubleshootingReport.UNKNOWN_TOKEN);

    private final TroubleshootingCounters counters;

    public TroubleshootingReportResource(TroubleshootingCounters counters) {
        this.counters = counters;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> report(TroubleshootingReport report) {
        Optional<String> problem = report == null ? Optional.of("a report is required") : problem(report);
        if (problem.isPresent()) {
            return Uni.createFrom().item(Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new Problem(400, problem.get())).build());
        }
        return counters.add(report).replaceWith(Response.noContent().build());
    }

    private static Optional<String> problem(TroubleshootingReport report) {
        for (var unknown : report.unknownAttributes()) {
            if (Uuids.parse(unknown.connectionId()).isEmpty() || !RESOURCE_TYPES.contains(unknown.resourceType())
                    || !KINDS.contains(unknown.kind()) || unknown.name() == null || unknown.name().isEmpty()
                    || !counted(unknown.count(), unknown.firstSeen(), unknown.lastSeen())) {
                return Optional.of("an unknown attribute needs a connection id, a resource type (User, Group), a "
                        + "name, a kind (attribute, extension), a positive count and when it was first and last seen");
            }
        }
        for (var token : report.failedAuthentications()) {
            if (token.tokenId() == null || !counted(token.count(), token.firstSeen(), token.lastSeen())) {
                return Optional.of("failed authentications need a token id, a positive count and when they were "
                        + "first and last seen");
            }
        }
        for (var other : report.unattributed()) {
            if (!REASONS.contains(other.reason()) || !counted(other.count(), other.firstSeen(), other.lastSeen())) {
                return Optional.of("unattributed failures need a reason (" + String.join(", ", REASONS.stream()
                        .sorted().toList()) + "), a positive count and when they were first and last seen");
            }
        }
        for (var refused : report.refusedWhileScimOff()) {
            if (Uuids.parse(refused.connectionId()).isEmpty()
                    || !TroubleshootingReport.METHODS.contains(refused.method())
                    || (refused.resourceType() != null && !RESOURCE_TYPES.contains(refused.resourceType()))
                    || (refused.resourceId() != null && (refused.resourceType() == null
                            || !TroubleshootingReport.RESOURCE_ID.matcher(refused.resourceId()).matches()))
                    || !counted(refused.count(), refused.firstSeen(), refused.lastSeen())) {
                return Optional.of("a request refused while SCIM was off needs a connection id, a method (" + String
                        .join(", ", TroubleshootingReport.METHODS) + "), a resource type (User, Group) or none, "
                        + "a resource id of 1 to 64 letters, digits and . _ ~ - (only with a type) or none, a positive "
                        + "count and when it was first and last seen");
            }
        }
        return Optional.empty();
    }

    private static boolean counted(long count, java.time.Instant first, java.time.Instant last) {
        return count > 0 && first != null && last != null;
    }
}
