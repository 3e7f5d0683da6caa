package dev.scimsync.gateway.api;

import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupSnapshot;
import dev.scimsync.contracts.query.GroupPage;
import dev.scimsync.gateway.auth.ScimCaller;
import dev.scimsync.gateway.groupsync.GroupSyncClient;
import dev.scimsync.gateway.messaging.CommandDispatcher;
import dev.scimsync.gateway.scim.GroupRequests;
import dev.scimsync.gateway.scim.GroupResources;
import dev.scimsync.gateway.scim.OutcomeErrors;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.RequestBodies;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.patch.GroupPatchTranslator;
import dev.scimsync.gateway.scim.patch.PatchOperation;
import dev.scimsync.gateway.scim.schema.ResourceType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * SCIM Groups (RFC 7644 section 3), owned by group-sync-service: writes become {@link GroupCommand}s and are
 * answered from their committed outcome; reads and searches are answered by group-sync-service, rendered here.
 * <p>
 * A group may have tens of thousands of members, so they are loaded only when the response shows them
 * ({@code excludedAttributes=members} and {@code attributes=displayName} never load them), and PATCH is
 * translated into edits without reading the group at all.
 * <p>
 * PATCH answers {@code 204 No Content} (with the new ETag) when the request names neither
 * {@code attributes} nor {@code excludedAttributes}: Entra ID expects that, and it spares rendering a large
 * group nobody reads. With either parameter it answers 200 with the projected resource (RFC 7644 section
 * 3.5.2 allows both).
 */
@Path("/scim/v2/Groups")
@Produces({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimGroupsResource {

    private static final Logger LOG = Logger.getLogger(ScimGroupsResource.class);

    private final ScimCaller caller;
    private final CommandDispatcher dispatcher;
    private final GroupSyncClient groupSync;
    private final GroupRequests requests;
    private final GroupPatchTranslator patchTranslator;
    private final GroupSearch search;
    private final ScimLimits limits;

    public ScimGroupsResource(ScimCaller caller, CommandDispatcher dispatcher, @RestClient GroupSyncClient groupSync,
            RequestBodies bodies, ScimLimits limits, GroupSearch search) {
        this.caller = caller;
        this.dispatcher = dispatcher;
        this.groupSync = groupSync;
        this.requests = new GroupRequests(bodies, limits);
        this.patchTranslator = new GroupPatchTranslator(requests);
        this.search = search;
        this.limits = limits;
    }

    @POST
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> create(byte[] body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        GroupRequests.Definition group = requests.parse(body);
        String connectionId = caller.connectionId();
        GroupCommand command = GroupCommand.create(connectionId, group.displayName(), group.externalId(),
                group.memberIds(), ScimRequests.origin(caller, headers, http));
        ScimEndpoints endpoints = ScimRequests.endpoints(uri);
        Projection projection = Projection.of(attributes, excludedAttributes);
        return dispatcher.dispatch(command)
                .chain(outcome -> written(connectionId, OutcomeErrors.applied(outcome).group(), projection))
                .map(entry -> resource(Response.created(endpoints.group(entry.group().id())), entry, endpoints,
                        projection));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excludedAttributes) {
        Optional<Long> notIfVersion = ScimRequests.ifNoneMatch(headers);
        Projection projection = Projection.of(attributes, excludedAttributes);
        return read(caller.connectionId(), id, projection.wants("members")).map(entry -> {
            if (notIfVersion.isPresent() && notIfVersion.get() == entry.group().version()) {
                return Response.notModified().header(HttpHeaders.ETAG, GroupResources.etag(entry.group())).build();
            }
            return resource(Response.ok(), entry, ScimRequests.endpoints(uri), projection);
        });
    }

    @GET
    public Uni<Response> list(@QueryParam("filter") String filter, @QueryParam("startIndex") Integer startIndex,
            @QueryParam("count") Integer count, @QueryParam("sortBy") String sortBy,
            @QueryParam("sortOrder") String sortOrder, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes, @Context UriInfo uri) {
        return search.search(caller.connectionId(), new SearchRequest(filter, startIndex, count, sortBy, sortOrder,
                Projection.of(attributes, excludedAttributes), ScimRequests.cursor(uri)), ScimRequests.endpoints(uri));
    }

    /** POST /Groups/.search (RFC 7644 section 3.4.3): the same query, in a body. */
    @POST
    @Path("/.search")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> searchInBody(byte[] body, @Context UriInfo uri) {
        return search.search(caller.connectionId(), SearchRequest.fromBody(requests.readJson(body)),
                ScimRequests.endpoints(uri));
    }

    @PUT
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> replace(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        GroupRequests.Definition group = requests.parse(body);
        String connectionId = caller.connectionId();
        GroupCommand command = GroupCommand.replace(connectionId, id, group.displayName(), group.externalId(),
                group.memberIds(), ScimRequests.ifMatch(headers).orElse(null), ScimRequests.origin(caller, headers, http));
        ScimEndpoints endpoints = ScimRequests.endpoints(uri);
        Projection projection = Projection.of(attributes, excludedAttributes);
        return dispatcher.dispatch(command)
                .chain(outcome -> written(connectionId, OutcomeErrors.applied(outcome).group(), projection))
                .map(entry -> resource(Response.ok(), entry, endpoints, projection));
    }

    /** See the class comment for when PATCH answers 204 and when 200. */
    @PATCH
    @Path("/{id}")
    @Consumes({ScimSchemas.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Uni<Response> patch(@PathParam("id") String id, byte[] body, @Context UriInfo uri,
            @Context HttpHeaders headers, @Context HttpServerRequest http, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes) {
        var operations = PatchOperation.parseRequest(requests.readJson(body), ResourceType.GROUP,
                limits.patchOperations());
        String connectionId = caller.connectionId();
        GroupCommand command = GroupCommand.modify(connectionId, id, patchTranslator.edits(operations),
                ScimRequests.ifMatch(headers).orElse(null), ScimRequests.origin(caller, headers, http));
        boolean showResource = attributes != null || excludedAttributes != null;
        ScimEndpoints endpoints = ScimRequests.endpoints(uri);
        Projection projection = Projection.of(attributes, excludedAttributes);
        return dispatcher.dispatch(command).chain(outcome -> {
            GroupSnapshot group = OutcomeErrors.applied(outcome).group();
            if (!showResource) {
                return Uni.createFrom().item(
                        Response.noContent().header(HttpHeaders.ETAG, GroupResources.etag(group)).build());
            }
            return written(connectionId, group, projection)
                    .map(entry -> resource(Response.ok(), entry, endpoints, projection));
        });
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        GroupCommand command = GroupCommand.delete(caller.connectionId(), id, ScimRequests.ifMatch(headers).orElse(null),
                ScimRequests.origin(caller, headers, http));
        return dispatcher.dispatch(command).map(outcome -> {
            OutcomeErrors.applied(outcome);
            return Response.noContent().build();
        });
    }

    private Uni<GroupPage.Entry> read(String connectionId, String id, boolean members) {
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

    private static Response resource(Response.ResponseBuilder status, GroupPage.Entry entry, ScimEndpoints endpoints,
            Projection projection) {
        return status.header(HttpHeaders.ETAG, GroupResources.etag(entry.group()))
                .type(ScimSchemas.MEDIA_TYPE)
                .entity(GroupResources.render(entry.group(), entry.members(), endpoints, projection))
                .build();
    }
}
