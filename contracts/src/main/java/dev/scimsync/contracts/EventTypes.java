package dev.scimsync.contracts;

import java.util.List;

/**
 * Every CloudEvents {@code ce_type} the services publish, versioned: a consumer that understands
 * {@code ...v1} never sees another shape under that name. The services' outbox tables accept exactly these
 * (a check constraint), and {@code docs/events/asyncapi.yaml} describes each one; tests hold the three
 * together.
 */
public final class EventTypes {

    private static final String MEMBER = "dev.scimsync.membership.member.";
    private static final String TEAM = "dev.scimsync.team.";
    /** The mass-deprovisioning guard: a deactivation or removal held, and what became of it. */
    private static final String GUARD = "dev.scimsync.membership.guard.";

    /** On {@link Topics#MEMBERSHIP_EVENTS}, keyed by member id. */
    public static final List<String> MEMBERSHIP = List.of(
            MEMBER + "created.v1",
            MEMBER + "updated.v1",
            MEMBER + "deactivated.v1",
            MEMBER + "reactivated.v1",
            MEMBER + "role_changed.v1",
            MEMBER + "removed.v1",
            GUARD + "held.v1",
            GUARD + "approved.v1",
            GUARD + "rejected.v1",
            GUARD + "superseded.v1");

    /** On {@link Topics#TEAM_EVENTS}, keyed by member id (team id for {@code team.created}). */
    public static final List<String> TEAM_EVENTS = List.of(
            TEAM + "created.v1",
            TEAM + "member.added.v1",
            TEAM + "member.removed.v1");

    /** On {@link Topics#GROUP_PLACEMENTS}, keyed by user id: every place a user's groups give it ({@link GroupPlacements}). */
    public static final List<String> GROUP_PLACEMENTS = List.of(
            "dev.scimsync.groupsync.group_placements.v1");

    /** On {@link Topics#SCIM_CREDENTIALS}, keyed by token id: a token's whole current state ({@link ScimCredential}). */
    public static final List<String> SCIM_CREDENTIALS = List.of(
            "dev.scimsync.membership.scim_credential.v1");

    /**
     * On {@link Topics#MEMBERSHIP_STATE}, keyed by {@code <organization id>/<member id>}: a member's whole current
     * state in one organization ({@link MemberStateRecord}); a tombstone carries the same type.
     */
    public static final List<String> MEMBERSHIP_STATE = List.of(
            "dev.scimsync.membership.member_state.v1");

    private EventTypes() {
    }
}
