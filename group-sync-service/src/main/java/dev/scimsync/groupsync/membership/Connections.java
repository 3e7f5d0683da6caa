package dev.scimsync.groupsync.membership;

import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.DirectTeam;
import dev.scimsync.contracts.internal.KnownUser;
import dev.scimsync.contracts.internal.ProvisioningErrorReport;
import dev.scimsync.contracts.internal.UserLookup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Typed answers from membership-service: an absent connection or user is a value, anything else a failure. */
@ApplicationScoped
public class Connections {

    private final MembershipDirectory membership;

    public Connections(@RestClient MembershipDirectory membership) {
        this.membership = membership;
    }

    public Uni<Optional<ConnectionSummary>> find(String idOrName) {
        return membership.connection(idOrName).map(answer -> {
            if (answer.getStatus() == 404) {
                return Optional.empty();
            }
            require(answer, "connection " + idOrName);
            return Optional.of(answer.readEntity(ConnectionSummary.class));
        });
    }

    /** The users of the connection among {@code ids}. */
    public Uni<List<KnownUser>> users(String connectionId, List<UUID> ids) {
        return membership.lookupUsers(connectionId, new UserLookup(
                        ids.stream().map(UUID::toString).toList()))
                .map(answer -> {
                    require(answer, "users of connection " + connectionId);
                    return List.of(answer.readEntity(KnownUser[].class));
                });
    }

    /** Empty when the organization does not exist. */
    public Uni<Optional<List<DirectTeam>>> directTeams(String organization) {
        return membership.directTeams(organization).map(answer -> {
            if (answer.getStatus() == 404) {
                return Optional.empty();
            }
            require(answer, "teams of organization " + organization);
            return Optional.of(List.of(answer.readEntity(DirectTeam[].class)));
        });
    }

    public Uni<Void> recordError(String connectionId, ProvisioningErrorReport error) {
        return membership.recordError(connectionId, error).map(answer -> {
            require(answer, "provisioning error of connection " + connectionId);
            return null;
        });
    }

    private static void require(jakarta.ws.rs.core.Response answer, String what) {
        if (answer.getStatus() / 100 != 2) {
            throw new IllegalStateException("membership-service answered " + answer.getStatus() + " for " + what);
        }
    }
}
