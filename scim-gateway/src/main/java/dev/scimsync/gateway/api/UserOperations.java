package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.gateway.groupsync.UserGroups;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.messaging.CommandDispatcher;
import dev.scimsync.gateway.scim.OutcomeErrors;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.ScimException;
import dev.scimsync.gateway.scim.ScimLimits;
import dev.scimsync.gateway.scim.ScimSchemas;
import dev.scimsync.gateway.scim.UnknownAttributes;
import dev.scimsync.gateway.scim.UserRequests;
import dev.scimsync.gateway.scim.UserRepresentations;
import dev.scimsync.gateway.scim.patch.PatchOperation;
import dev.scimsync.gateway.scim.patch.PatchRequest;
import dev.scimsync.gateway.scim.patch.UserPatcher;
import dev.scimsync.gateway.scim.schema.ResourceType;
import dev.scimsync.gateway.troubleshooting.Misconfigurations;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The writes of SCIM Users and the reads they answer with, as {@code /Users} and each operation of {@code /Bulk}
 * perform them: the body is validated and turned into a command for membership-service, and the answer is built
 * from the committed outcome. A bad body is thrown as its {@link ScimException} before anything is sent.
 */
@Singleton
class UserOperations implements ScimResourceEndpoints.Writes {

    /**
     * A read-modify-write (a PATCH, a PUT that leaves active unassigned) that lost a race with another write of the
     * same user is tried again.
     */
    private static final int WRITE_ATTEMPTS = 3;

    private final CommandDispatcher dispatcher;
    private final MembershipClient membership;
    private final UserRequests requests;
    private final UserPatcher patcher;
    private final UserGroups userGroups;
    private final ScimLimits limits;
    private final Misconfigurations misconfigurations;
    private final FoundUserWarmUp foundUserWarmUp;

    UserOperations(CommandDispatcher dispatcher, @RestClient MembershipClient membership, ScimLimits limits,
            UserGroups userGroups, Misconfigurations misconfigurations, FoundUserWarmUp foundUserWarmUp) {
        this.dispatcher = dispatcher;
        this.membership = membership;
        this.requests = new UserRequests(limits);
        this.patcher = new UserPatcher(requests, limits);
        this.userGroups = userGroups;
        this.limits = limits;
        this.misconfigurations = misconfigurations;
        this.foundUserWarmUp = foundUserWarmUp;
    }

    /** 201 with the created user, its {@code Location} and {@code ETag}. */
    @Override
    public Uni<Response> create(WriteContext context, JsonNode body, Projection projection) {
        UserCommand command = UserCommand.create(context.connectionId(), requests.toProfile(parse(context, body), true),
                context.origin());
        return dispatcher.dispatch(command).chain(outcome -> {
            UserSnapshot user = OutcomeErrors.applied(outcome).user();
            foundUserWarmUp.created(user.connectionId(), user.profile().userName());
            // A user created just now (version 1) is in no group yet: no need to ask group-sync-service. An
            // existing account adopted by the create (a JIT sign-in before) has a later version and may be.
            return groups(user.connectionId(), user.version() > 1 ? user.id() : null, projection)
                    .map(groups -> resource(Response.created(UserRepresentations.location(context.endpoints(), user)),
                            user, groups.get(user.id()), context.endpoints(), projection));
        });
    }

    @Override
    public Uni<Response> replace(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            Projection projection) {
        ObjectNode resource;
        UserProfile profile;
        try {
            resource = parse(context, body);
            profile = requests.toProfile(resource, true);
        } catch (ScimException refused) {
            if (refused.status() != 400 || !requests.deactivates(body)) {
                throw refused;
            }
            return withGroups(readModifyWrite(context, id, current -> deactivationAlone(current, refused), ifMatch, 1),
                    context, id, projection);
        }
        if (UserRequests.statesActive(resource)) {
            UserCommand command = UserCommand.replace(context.connectionId(), id, profile, ifMatch.orElse(null),
                    context.origin());
            return withGroups(dispatcher.dispatch(command).map(outcome -> OutcomeErrors.applied(outcome).user()),
                    context, id, projection);
        }
        // A body that leaves active unassigned keeps the user's state (UserRequests.statesActive): a profile
        // update after a deactivation must not re-activate. The state is read, and written on the condition
        // that the user is still at the version read, so a deactivation committed meanwhile is not undone; the
        // command says the state is the one read, so a deactivation the guard holds is not undone either. An
        // oversized body is refused before the read, as any other write's is before it is sent ("false" is the
        // longer of the two states the command may carry).
        dispatcher.requireWithinBudget(UserCommand.replaceKeepingState(context.connectionId(), id,
                profile.withActive(false), ifMatch.orElse(0L), context.origin()));
        return withGroups(readModifyWrite(context, id, current -> new Write(profile.withActive(
                current.profile().active()), false, null), ifMatch, 1), context, id, projection);
    }

    /**
     * 200 with the resource (RFC 7644 section 3.5.2 allows 200 or 204; the resource saves the IdP a read). The
     * operations are applied here to the current document, and the result replaces the user on the condition
     * that nobody changed it meanwhile.
     */
    Uni<Response> patch(WriteContext context, String id, JsonNode body, Optional<Long> ifMatch,
            Projection projection) {
        PatchRequest request = PatchRequest.parse(body, ResourceType.USER, limits.patchOperations());
        misconfigurations.unknownAttributes(context.connectionId(), ResourceType.USER, request.unknown());
        return withGroups(readModifyWrite(context, id, current -> patched(current, request.operations()), ifMatch, 1),
                context, id, projection);
    }

    /**
     * The operations applied to the user's document without its {@code active}: the result has one only if an
     * operation states it, as {@link #replace} tells a PUT that assigns it from one that leaves it unassigned.
     */
    private Write patched(UserSnapshot current, List<PatchOperation> operations) {
        ObjectNode document = UserRepresentations.document(current);
        document.remove("active");
        try {
            ObjectNode result = patcher.apply(document, operations);
            return new Write(requests.toProfile(result, current.profile().active()),
                    UserRequests.statesActive(result), null);
        } catch (ScimException refused) {
            if (refused.status() != 400 || !patcher.deactivates(operations)) {
                throw refused;
            }
            return deactivationAlone(current, refused);
        }
    }

    /**
     * A request that states {@code active: false} beside a value refused (one over its length limit, of the wrong
     * type): the deactivation is sent alone, with the refusal for the connection's provisioning errors - a broken
     * attribute mapping must not keep a person's access in place until someone fixes it. A user already
     * deactivated gets the refusal, as any other update would.
     */
    private static Write deactivationAlone(UserSnapshot current, ScimException refused) {
        if (!current.profile().active()) {
            throw refused;
        }
        return new Write(current.profile().withActive(false), true,
                new CommandFailure(CommandFailure.Reason.INVALID_VALUE, refused.detail()));
    }

    /**
     * The profile a read-modify-write sends, whether the IdP stated its {@code active}, and what of the request was
     * refused when the write is a deactivation sent alone (else null).
     */
    private record Write(UserProfile profile, boolean statesActive, CommandFailure refusedAlongside) {
    }

    /**
     * 200 with the user a write leaves, and its groups. A write of a user's profile does not change the groups it
     * is in (a deactivated user stays in them), so they are asked while the write is applied instead of after its
     * outcome: an IdP's update waits for one call fewer (a PATCH asks them beside the read it starts with).
     */
    private Uni<Response> withGroups(Uni<UserSnapshot> written, WriteContext context, String id,
            Projection projection) {
        return Uni.combine().all().unis(written, groups(context.connectionId(), id, projection)).asTuple()
                .map(both -> resource(Response.ok(), both.getItem1(), both.getItem2().get(both.getItem1().id()),
                        context.endpoints(), projection));
    }

    /**
     * A POST or PUT body in its canonical form; what it carries that the schemas do not define is counted for the
     * admin.
     */
    private ObjectNode parse(WriteContext context, JsonNode body) {
        ObjectNode resource = requests.parse(body);
        misconfigurations.unknownAttributes(context.connectionId(), ResourceType.USER,
                UnknownAttributes.in(ResourceType.USER, body));
        return resource;
    }

    /**
     * The user read, {@code write} applied to it, and the result sent as a replace on the condition that nobody
     * changed the user meanwhile; without {@code If-Match}, a lost race is read and written again.
     */
    private Uni<UserSnapshot> readModifyWrite(WriteContext context, String id,
            Function<UserSnapshot, Write> write, Optional<Long> ifMatch, int attempt) {
        return read(context.connectionId(), id).chain(current -> {
            if (ifMatch.isPresent() && ifMatch.get() != current.version()) {
                throw ScimException.preconditionFailed("User " + id + " is at version "
                        + UserRepresentations.etag(current) + "; read it again");
            }
            Write written = write.apply(current);
            UserCommand command;
            if (written.refusedAlongside() != null) {
                command = UserCommand.deactivationAlone(context.connectionId(), id, written.profile(),
                        current.version(), context.origin(), written.refusedAlongside());
            } else if (written.statesActive()) {
                command = UserCommand.replace(context.connectionId(), id, written.profile(), current.version(),
                        context.origin());
            } else {
                command = UserCommand.replaceKeepingState(context.connectionId(), id, written.profile(),
                        current.version(), context.origin());
            }
            return dispatcher.dispatch(command).chain(outcome -> {
                boolean lostRace = outcome.status() == CommandOutcome.Status.REJECTED
                        && outcome.failure().reason() == CommandFailure.Reason.VERSION_MISMATCH && ifMatch.isEmpty();
                if (lostRace && attempt < WRITE_ATTEMPTS) {
                    return readModifyWrite(context, id, write, ifMatch, attempt + 1);
                }
                return Uni.createFrom().item(OutcomeErrors.applied(outcome).user());
            });
        });
    }

    /** 204. */
    @Override
    public Uni<Response> delete(WriteContext context, String id, Optional<Long> ifMatch) {
        UserCommand command = UserCommand.delete(context.connectionId(), id, ifMatch.orElse(null), context.origin());
        return dispatcher.dispatch(command).map(outcome -> {
            OutcomeErrors.applied(outcome);
            return Response.noContent().build();
        });
    }

    Uni<UserSnapshot> read(String connectionId, String id) {
        return ServiceAnswers.reaching("membership-service", membership.user(connectionId, id))
                .map(answer -> ServiceAnswers.resource(answer, UserSnapshot.class, "User " + id));
    }

    /** The groups of the user of that id (none when null) by user id, asked only when the projection shows them. */
    Uni<Map<String, List<GroupMember>>> groups(String connectionId, String userId, Projection projection) {
        return userGroups.of(connectionId, userId != null && projection.wants("groups") ? List.of(userId) : List.of());
    }

    /** The user as the response shows it, with the groups given (null: none). */
    Response resource(Response.ResponseBuilder status, UserSnapshot user, List<GroupMember> groups,
            ScimEndpoints endpoints, Projection projection) {
        return status.header(HttpHeaders.ETAG, UserRepresentations.etag(user))
                .type(ScimSchemas.MEDIA_TYPE)
                .entity(UserRepresentations.render(user, groups, endpoints, projection))
                .build();
    }
}
