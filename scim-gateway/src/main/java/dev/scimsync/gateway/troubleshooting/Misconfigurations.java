package dev.scimsync.gateway.troubleshooting;

import dev.scimsync.contracts.TroubleshootingReport;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.UnknownAttributes;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.runtime.StoredTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * What an admin needs to see of an IdP set up wrong, and that the IdP itself never learns from its answers:
 * attributes and extensions the schema does not define (dropped without an error) and failed SCIM
 * authentications (a wrong, revoked or truncated token, often sent to a wrong base URL), and the requests of a
 * connection whose SCIM is switched off - each refused {@code 403}, so a deactivation among them was not applied and
 * the person keeps their access, which the admin must learn and the IdP records only as a failed task. Counted in memory
 * ({@link MisconfigurationTally}, bounded) and sent to membership-service - which keeps the sums of every gateway
 * instance for the console's troubleshooting page and the admin API - in one call every
 * {@code scim.troubleshooting.report-interval}: never a call per request. A report that does not arrive is added back
 * and sent with the next one.
 *
 * <p>Metrics: {@code scim_authentication_failures_total{reason}} (missing, malformed, unknown-token: no connection
 * to count them for; wrong-secret, revoked: counted for the token's connection), {@code
 * scim_unknown_attributes_total{resource_type}}, {@code scim_refused_while_off_total{method}}, and {@code
 * scim_troubleshooting_not_counted_total} for sightings past the tally's bounds.
 */
@ApplicationScoped
public class Misconfigurations {

    /** A known token presented with another secret. */
    public static final String WRONG_SECRET = "wrong-secret";
    /** A revoked token presented (its secret is not checked). */
    public static final String REVOKED = "revoked";

    private static final Logger LOG = Logger.getLogger(Misconfigurations.class);

    private final MembershipClient membership;
    private final MisconfigurationTally tally;
    private final Map<String, Counter> authenticationFailures;
    private final Map<String, Counter> unknownAttributes;
    private final Map<String, Counter> refusedWhileScimOff;
    private final Counter notCounted;
    private final Clock clock;

    public Misconfigurations(@RestClient MembershipClient membership, MeterRegistry meters,
            @ConfigProperty(name = "scim.troubleshooting.max-names-per-connection") int maxNamesPerConnection,
            @ConfigProperty(name = "scim.troubleshooting.max-resources-per-connection") int maxResourcesPerConnection,
            @ConfigProperty(name = "scim.troubleshooting.max-entries") int maxEntries, Clock clock) {
        this.membership = membership;
        this.clock = clock;
        this.tally = new MisconfigurationTally(maxNamesPerConnection, maxResourcesPerConnection, maxEntries);
        this.authenticationFailures = Map.of(
                TroubleshootingReport.MISSING, authenticationFailures(meters, TroubleshootingReport.MISSING),
                TroubleshootingReport.MALFORMED, authenticationFailures(meters, TroubleshootingReport.MALFORMED),
                TroubleshootingReport.UNKNOWN_TOKEN, authenticationFailures(meters, TroubleshootingReport.UNKNOWN_TOKEN),
                WRONG_SECRET, authenticationFailures(meters, WRONG_SECRET),
                REVOKED, authenticationFailures(meters, REVOKED));
        this.unknownAttributes = Map.of(
                ResourceType.USER.name(), unknownAttributes(meters, ResourceType.USER.name()),
                ResourceType.GROUP.name(), unknownAttributes(meters, ResourceType.GROUP.name()));
        this.refusedWhileScimOff = TroubleshootingReport.METHODS.stream().collect(
                Collectors.toUnmodifiableMap(method -> method, method -> Counter.builder("scim.refused.while.off")
                        .description("SCIM requests refused 403 because the connection's SCIM is off, by method")
                        .tag("method", method).register(meters)));
        this.notCounted = Counter.builder("scim.troubleshooting.not.counted")
                .description("Unknown attributes and failed authentications not counted for a connection because "
                        + "scim.troubleshooting.max-names-per-connection or max-entries was reached")
                .register(meters);
    }

    private static Counter authenticationFailures(MeterRegistry meters, String reason) {
        return Counter.builder("scim.authentication.failures")
                .description("SCIM requests refused 401, by reason").tag("reason", reason).register(meters);
    }

    private static Counter unknownAttributes(MeterRegistry meters, String resourceType) {
        return Counter.builder("scim.unknown.attributes")
                .description("Attributes and extensions sent by IdPs that the resource type's schemas do not define")
                .tag("resource_type", resourceType).register(meters);
    }

    /** The unknown keys of one request's body, for the connection that sent it. */
    public void unknownAttributes(String connectionId, ResourceType type, List<UnknownAttributes.Found> found) {
        if (found.isEmpty()) {
            return;
        }
        Instant now = StoredTime.now(clock);
        unknownAttributes.get(type.name()).increment(found.size());
        for (UnknownAttributes.Found unknown : found) {
            if (!tally.unknownAttribute(connectionId, type.name(), unknown.name(), unknown.kind(), now)) {
                notCounted.increment();
            }
        }
    }

    /** A failed authentication with a token of this connection; {@code reason}: {@link #WRONG_SECRET} or {@link #REVOKED}. */
    public void failedAuthentication(String connectionId, String tokenId, String reason) {
        authenticationFailures.get(reason).increment();
        if (!tally.failedAuthentication(connectionId, tokenId, StoredTime.now(clock))) {
            notCounted.increment();
        }
    }

    /** A failed authentication that names no known token: {@link TroubleshootingReport#MISSING}, ... */
    public void unattributedFailure(String reason) {
        authenticationFailures.get(reason).increment();
        tally.unattributedFailure(reason, StoredTime.now(clock));
    }

    /**
     * A request refused because the connection's SCIM is off: counted for its method and, when its path names one
     * ({@code /scim/v2/Users/{id}}, {@code /scim/v2/Groups/{id}}), the resource, so the admin sees whose changes
     * were not applied.
     */
    public void refusedWhileScimOff(String connectionId, String method, String path) {
        String knownMethod = refusedWhileScimOff.containsKey(method) ? method : TroubleshootingReport.OTHER_METHOD;
        refusedWhileScimOff.get(knownMethod).increment();
        Target target = Target.of(path);
        tally.refusedWhileScimOff(connectionId, knownMethod, target.resourceType(), target.resourceId(),
                StoredTime.now(clock));
    }

    /** What a SCIM path names: {@code /scim/v2/Users/{id}} is a user, {@code /scim/v2/Users} no one. */
    record Target(String resourceType, String resourceId) {

        private static final String BASE = "/scim/v2/";

        static Target of(String path) {
            if (path == null || !path.startsWith(BASE)) {
                return new Target(null, null);
            }
            String[] segments = path.substring(BASE.length()).split("/", -1);
            String type = switch (segments[0]) {
                case "Users" -> TroubleshootingReport.USER;
                case "Groups" -> TroubleshootingReport.GROUP;
                default -> null;
            };
            if (type == null || segments.length != 2 || segments[1].equals(".search")
                    || !TroubleshootingReport.RESOURCE_ID.matcher(segments[1]).matches()) {
                return new Target(type, null);
            }
            return new Target(type, segments[1]);
        }
    }

    @Scheduled(every = "${scim.troubleshooting.report-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> report() {
        TroubleshootingReport report = tally.drain();
        if (report.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return membership.reportMisconfigurations(report)
                .map(answer -> answer.getStatus())
                .onFailure().recoverWithItem(503)
                .invoke(status -> {
                    if (status / 100 == 4) {
                        // Sent again it would be refused again.
                        LOG.errorf("membership-service refused the troubleshooting report (%d); dropped", status);
                    } else if (status / 100 != 2) {
                        int refused = tally.restore(report);
                        notCounted.increment(refused);
                        LOG.warnf("membership-service did not take the troubleshooting report (%d); sending it again "
                                + "next time (%d entries no longer fit)", status, refused);
                    }
                })
                .replaceWithVoid();
    }
}
