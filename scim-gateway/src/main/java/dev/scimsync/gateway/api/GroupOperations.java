package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupSnapshot;
import dev.scimsync.contracts.query.GroupPage;
import dev.scimsync.gateway.groupsync.GroupSyncClient;
import dev.scimsync.gateway.messaging.CommandDispatcher;
import dev.scimsync.gateway.scim.GroupRequests;
import dev.scimsync.gateway.scim.GroupRepresentations;
import dev.scimsync.gateway.scim.OutcomeErrors;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UnknownAttributes;
import dev.scimsync.gateway.scim.patch.GroupPatchTranslator;
import dev.scimsync.gateway.scim.patch.PatchRequest;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.gateway.troubleshooting.Misconfigurations;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The writes of SCIM Groups and the reads they answer with, as {@code /Groups} and each operation of {@code /Bulk}
 * perform them: the body is validated and turned into a {@link GroupCommand} for group-sync-service, and the answer
 * is built from the committed outcome. Members are loaded only when the response shows them, and PATCH is translated
 * into edits without reading the group at all.
 */
@Singleton
class GroupOperations implements ScimResourceEndpoints.Writes {

    private static final Logger LOG = Logger.getLogger(GroupOperations.class);

    private final CommandDispatcher dispatcher;
    private final GroupSyncClient groupSync;
    private final GroupRequests requests;
    private final GroupPatchTranslator patchTranslator;
    private final ScimLimits limits;
    private final Misconfigurations misconfigurations;

    GroupOperations(CommandDispatcher dispatcher, @RestClient GroupSyncClient groupSync, ScimLimits limits,
            Misconfigurations misconfigurations) {
        this.dispatcher = dispatcher;
        this.groupSync = groupSync;
        this.requests = new GroupRequests(limits);
        this.patchTranslator = new GroupPatchTranslator(requests);
        this.limits = limits;
        this.misconfigurations = misconfigurations;
    }

    /** 201 with the created group, its {@code Location} and {@code ETag}. */
    @Override
    public Uni<Response> create(WriteContext context, JsonNode body, Projection projection) {
        GroupRequests.Definition group = parse(context, body);
        GroupCommand command = GroupCommand.create(context.connectionId(), group.displayName(), group.externalId(),
                group.memberIds(), context.origin());
        return dispatcher.dispatch(command)
                .chain(outcome -> written(context.connectionId(), OutcomeErrors.applied(outcome).group(), projection))
                .map(entry -> resource(Response.created(context.endpoints().group(entry.group().id())), entry,
                        context.endpoints(), projection));
    }

    @Override
    public Uni<Response> replace(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            Projection projection) {
        GroupRequests.Definition group = parse(context, body);
        GroupCommand command = GroupCommand.replace(context.connectionId(), id, group.displayName(),
                group.externalId(), group.memberIds(), ifMatch.orElse(null), context.origin());
        return dispatcher.dispatch(command)
                .chain(outcome -> written(context.connectionId(), OutcomeErrors.applied(outcome).group(), projection))
                .map(entry -> resource(Response.ok(), entry, context.endpoints(), projection));
    }

    /**
     * {@code 204 No Content} with the new ETag when nothing asks to see the resource ({@code shown} empty): Entra ID
     * expects that, and it spares rendering a large group nobody reads. Otherwise 200 with the projected resource
     * (RFC 7644 section 3.5.2 allows both).
     */
    Uni<Response> patch(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            Optional<Projection> shown) {
        PatchRequest request = PatchRequest.parse(body, ResourceType.GROUP, limits.patchOperations());
        misconfigurations.unknownAttributes(context.connectionId(), ResourceType.GROUP, request.unknown());
        GroupCommand command = GroupCommand.modify(context.connectionId(), id,
                patchTranslator.edits(request.operations()), ifMatch.orElse(null), context.origin());
        return dispatcher.dispatch(command).chain(outcome -> {
            GroupSnapshot group = OutcomeErrors.applied(outcome).group();
            if (shown.isEmpty()) {
                return Uni.createFrom().item(
                        Response.noContent().header(HttpHeaders.ETAG, GroupRepresentations.etag(group)).build());
            }
            return written(context.connectionId(), group, shown.get())
                    .map(entry -> resource(Response.ok(), entry, context.endpoints(), shown.get()));
        });
    }

    /** A POST or PUT body; what it carries that the schema does not define is counted for the admin. */
    private GroupRequests.Definition parse(WriteContext context, JsonNode body) {
        GroupRequests.Definition group = requests.parse(body);
        misconfigurations.unknownAttributes(context.connectionId(), ResourceType.GROUP,
                UnknownAttributes.in(ResourceType.GROUP, body));
        return group;
    }

    /** 204. */
    @Override
    public Uni<Response> delete(WriteContext context, String id, Optional<Long> ifMatch) {
        GroupCommand command = GroupCommand.delete(context.connectionId(), id, ifMatch.orElse(null), context.origin());
        return dispatcher.dispatch(command).map(outcome -> {
            OutcomeErrors.applied(outcome);
            return Response.noContent().build();
        });
    }

    Uni<GroupPage.Entry> read(String connectionId, String id, boolean members) {
        return ServiceAnswers.reaching("group-sync-service", groupSync.group(connectionId, id, members))
                .map(answer -> ServiceAnswers.resource(answer, GroupPage.Entry.class, "Group " + id));
    }

    /**
     * The group as it is after a committed write, read back from group-sync-service (with its members only
     * when the response shows them). The write is committed whatever happens here, so if the read fails the
     * answer is the outcome's snapshot rather than an error that would make the IdP retry.
     */
    private Uni<GroupPage.Entry> written(String connectionId, GroupSnapshot group, Projection projection) {
        GroupPage.Entry committed = new GroupPage.Entry(group, null);
        return read(connectionId, group.id(), projection.wants("members"))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("group %s was written but could not be read back (%s); answering with its snapshot",
                            group.id(), failure.getMessage());
                    return committed;
                });
    }

    static Response resource(Response.ResponseBuilder status, GroupPage.Entry entry, ScimEndpoints endpoints,
            Projection projection) {
        return status.header(HttpHeaders.ETAG, GroupRepresentations.etag(entry.group()))
                .type(ScimSchemas.MEDIA_TYPE)
                .entity(GroupRepresentations.render(entry.group(), entry.members(), endpoints, projection))
                .build();
    }
}
