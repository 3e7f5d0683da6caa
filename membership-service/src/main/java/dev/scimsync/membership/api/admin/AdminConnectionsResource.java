package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.ConnectionOrganizationEntity;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.Memberships;
import dev.scimsync.membership.persistence.OrganizationEntity;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Admin API: IdP connections (SCIM and JIT switches, defaults, linked organizations). */
@Path("/internal/v1/admin/connections")
public class AdminConnectionsResource {

    /** Create and PATCH body; on PATCH, absent fields stay as they are. */
    public record ConnectionRequest(String name, List<String> organizations, String defaultOrganization,
            String defaultTeam, String defaultRole, Boolean jitEnabled, Boolean scimEnabled) {
    }

    public record ConnectionView(String id, String name, List<String> organizations, String defaultOrganization,
            String defaultTeam, String defaultRole, boolean jitEnabled, boolean scimEnabled, boolean jitAdoption,
            String adoptsFrom) {
    }

    private final Memberships memberships;
    private final Clock clock;

    public AdminConnectionsResource(Memberships memberships, Clock clock) {
        this.memberships = memberships;
        this.clock = clock;
    }

    @POST
    @WithTransaction
    public Uni<Response> create(ConnectionRequest request, @Context UriInfo uri) {
        if (request == null || request.name() == null || !request.name().matches("[a-z0-9][a-z0-9-]{1,62}")) {
            return AdminErrors.uni(400, "'name' is required: 2-63 lower-case letters, digits and dashes");
        }
        if (request.defaultOrganization() == null) {
            return AdminErrors.uni(400, "'defaultOrganization' is required");
        }
        return ConnectionEntity.findByName(request.name()).chain(existing -> {
            if (existing != null) {
                return AdminErrors.uni(409, "connection '" + request.name() + "' exists");
            }
            ConnectionEntity connection = new ConnectionEntity();
            connection.id = UUID.randomUUID();
            connection.name = request.name();
            connection.defaultRole = Role.MEMBER.wireName();
            connection.jitEnabled = true;
            connection.scimEnabled = false;
            connection.createdAt = StoredTime.now(clock);
            return apply(connection, request, true).chain(error -> error != null ? Uni.createFrom().item(error)
                    : view(connection).map(view -> Response.created(AdminLookups.created(uri, connection.name)).entity(view).build()));
        });
    }

    /**
     * Every connection, by name; with {@code organization}, only the connections of that organization alone - those
     * that provision into it and into no other (the ones an admin scoped to it may open; a connection shared with
     * other organizations belongs to none of them alone).
     */
    @GET
    @WithSession
    public Uni<Response> list(@QueryParam("organization") String organization) {
        return ConnectionEntity.<ConnectionEntity>list("order by name").chain(connections -> {
            Uni<List<ConnectionView>> views = Uni.createFrom().item(new ArrayList<>());
            for (ConnectionEntity connection : connections) {
                views = views.chain(list -> view(connection).map(view -> {
                    if (organization == null || view.organizations().equals(List.of(organization))) {
                        list.add(view);
                    }
                    return list;
                }));
            }
            return views;
        }).map(views -> Response.ok(views).build());
    }

    @GET
    @Path("/{name}")
    @WithSession
    public Uni<Response> get(@PathParam("name") String name) {
        return AdminLookups.withConnection(name, connection -> view(connection).map(view -> Response.ok(view).build()));
    }

    @PATCH
    @Path("/{name}")
    @WithTransaction
    public Uni<Response> update(@PathParam("name") String name, ConnectionRequest request) {
        if (request == null) {
            return AdminErrors.uni(400, "send the fields to change");
        }
        return AdminLookups.withConnection(name, connection -> apply(connection, request, false).chain(error -> error != null ? Uni.createFrom().item(error)
                        : view(connection).map(view -> Response.ok(view).build())));
    }

    /**
     * Unlinks an organization linked by mistake: the connection's IdP can no longer place anyone there (its
     * {@code dockerOrg} is refused as unlinked, its groups' teams there become provisioning errors). Refused while
     * it is the connection's default, and while any of the connection's users is a member there - unlinking does
     * not de-provision anyone; the IdP moves them, or an admin removes them, first. The organization's row is locked
     * as a command batch locks it to place someone there (its seat counter), so a placement the batch has begun
     * either commits before the count or waits for the unlink.
     */
    @DELETE
    @Path("/{name}/organizations/{organization}")
    @WithTransaction
    public Uni<Response> unlink(@PathParam("name") String name, @PathParam("organization") String organizationName) {
        return AdminLookups.withConnection(name, connection -> OrganizationEntity.findByName(organizationName)
                .chain(found -> {
                    if (found == null) {
                        return AdminErrors.uni(404, "organization '" + organizationName + "' not found");
                    }
                    if (found.id.equals(connection.defaultOrganizationId)) {
                        return AdminErrors.uni(409, "'" + organizationName + "' is the default organization of "
                                + "connection '" + name + "': make another linked organization the default first");
                    }
                    return OrganizationEntity.<OrganizationEntity>findById(found.id, LockModeType.PESSIMISTIC_WRITE)
                            .chain(() -> ConnectionOrganizationEntity.<ConnectionOrganizationEntity>findById(
                                    new ConnectionOrganizationEntity.Key(connection.id, found.id)))
                            .chain(link -> link == null
                                    ? AdminErrors.uni(404, "organization '" + organizationName
                                            + "' is not linked to connection '" + name + "'")
                                    : MemberEntity.count("key.organizationId = ?1 and key.accountId in (select a.id "
                                            + "from AccountEntity a where a.connectionId = ?2)", found.id,
                                            connection.id).chain(members -> members > 0
                                                    ? AdminErrors.uni(409, "connection '" + name + "' has "
                                                            + members + " user(s) in '" + organizationName
                                                            + "': move them with the IdP (dockerOrg) or remove "
                                                            + "them, then unlink")
                                                    : link.delete().replaceWith(Response.noContent().build())));
                }));
    }

    /**
     * Applies the request's fields; a non-null answer is the error to return, and then nothing is changed: every
     * field is checked before the first is set, because the connection is a managed entity and whatever was set on
     * it would be written when the transaction commits, error or not (a PATCH switching SCIM off beside an unknown
     * organization once answered 400 and switched SCIM off all the same).
     */
    private Uni<Response> apply(ConnectionEntity connection, ConnectionRequest request, boolean creating) {
        String defaultRole;
        try {
            defaultRole = request.defaultRole() == null ? null : Role.fromWireName(request.defaultRole()).wireName();
        } catch (IllegalArgumentException e) {
            return AdminErrors.uni(400, "'defaultRole' must be member, editor or owner");
        }
        List<String> wanted = new ArrayList<>();
        if (request.organizations() != null) {
            wanted.addAll(request.organizations());
        }
        if (request.defaultOrganization() != null && wanted.stream().noneMatch(request.defaultOrganization()::equals)) {
            wanted.add(request.defaultOrganization());
        }
        return OrganizationEntity.<OrganizationEntity>list("name in ?1", wanted).chain(found -> {
            List<String> missing = wanted.stream().filter(n -> found.stream().noneMatch(o -> o.name.equals(n))).toList();
            if (!missing.isEmpty()) {
                return AdminErrors.uni(400, "unknown organization(s): " + String.join(", ", missing)
                        + "; create them first");
            }
            if (defaultRole != null) {
                connection.defaultRole = defaultRole;
            }
            if (request.jitEnabled() != null) {
                connection.jitEnabled = request.jitEnabled();
            }
            if (request.scimEnabled() != null) {
                connection.scimEnabled = request.scimEnabled();
                if (connection.scimEnabled && connection.scimEnabledSince == null) {
                    connection.scimEnabledSince = StoredTime.now(clock);
                }
            }
            if (request.defaultTeam() != null) {
                connection.defaultTeam = request.defaultTeam().isBlank() ? null : request.defaultTeam().trim();
            }
            if (request.defaultOrganization() != null) {
                connection.defaultOrganizationId = found.stream()
                        .filter(o -> o.name.equals(request.defaultOrganization())).findFirst().orElseThrow().id;
            }
            Uni<?> saved = creating ? connection.persist() : Uni.createFrom().voidItem();
            return saved.chain(() -> {
                Uni<Void> links = Uni.createFrom().voidItem();
                for (OrganizationEntity organization : found) {
                    links = links.chain(() -> ConnectionOrganizationEntity
                            .<ConnectionOrganizationEntity>findById(new ConnectionOrganizationEntity.Key(connection.id,
                                    organization.id))
                            .chain(link -> link != null ? Uni.createFrom().voidItem()
                                    : ConnectionOrganizationEntity.of(connection.id, organization.id).persist()
                                            .replaceWithVoid()));
                }
                return links;
            }).replaceWith((Response) null);
        });
    }

    private Uni<ConnectionView> view(ConnectionEntity connection) {
        Uni<String> adoptsFrom = connection.adoptFromConnectionId == null ? Uni.createFrom().nullItem()
                : ConnectionEntity.<ConnectionEntity>findById(connection.adoptFromConnectionId)
                        .map(from -> from == null ? null : from.name);
        return memberships.linkedOrganizations(connection.id).chain(linked -> OrganizationEntity
                .<OrganizationEntity>findById(connection.defaultOrganizationId)
                .chain(defaultOrganization -> adoptsFrom.map(from -> new ConnectionView(connection.id.toString(),
                        connection.name, linked.stream().sorted().toList(), defaultOrganization.name,
                        connection.defaultTeam, connection.defaultRole.toLowerCase(Locale.ROOT), connection.jitEnabled,
                        connection.scimEnabled, connection.adoptJit, from))));
    }
}
