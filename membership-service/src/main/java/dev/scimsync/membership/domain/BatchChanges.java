package dev.scimsync.membership.domain;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.UserCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rows a batch of user commands writes, collected in memory so that each kind of change is one
 * set-based statement, whatever the size of the batch.
 */
public final class BatchChanges {

    /** The processed-command record: a redelivered command is answered from it. */
    public record Processed(UUID connectionId, CommandOutcome outcome) {
    }

    /** A rejection the connection's troubleshooting view lists, with what to do about it. */
    public record ProvisioningError(UUID id, UUID connectionId, UUID commandId, String requestId, String operation,
            String userName, String reason, String detail, String suggestedFix, Instant occurredAt) {
    }

    public record TeamMember(UUID teamId, UUID accountId, Instant createdAt) {
    }

    /** A deactivation or removal the guard held: the command as the IdP sent it, to apply if an admin approves. */
    public record HeldChange(UUID id, UUID connectionId, UUID commandId, UUID accountId, long accountVersion,
            String userName, String kind, UserCommand command, Instant heldAt) {
    }

    /**
     * A held change decided: {@code approved} (applied in this batch) or {@code superseded} (the IdP sent newer, or
     * the user changed before an admin approved it). {@code approvalCommandId}: the command an admin's approval applied
     * it under, whose outcome the approval publishes; null when the IdP's own command decided it.
     */
    public record DecidedHold(UUID id, String state, Instant decidedAt, UUID approvalCommandId) {
    }

    /** A deactivation or removal of an active SCIM member applied: counted in its connection's guard window. */
    public record Deprovisioning(UUID connectionId, UUID accountId, Instant appliedAt) {
    }

    /** An account SCIM deleted, with what the sign-in check remembers of it (scim_removal). */
    public record DeletedAccount(UUID id, UUID connectionId, String userName, Instant deletedAt) {
    }

    public final Set<BatchState.Account> insertedAccounts = new LinkedHashSet<>();
    public final Set<BatchState.Account> updatedAccounts = new LinkedHashSet<>();
    public final List<DeletedAccount> deletedAccounts = new ArrayList<>();
    public final Set<BatchState.Member> insertedMembers = new LinkedHashSet<>();
    public final Set<BatchState.Member> updatedMembers = new LinkedHashSet<>();
    public final List<BatchState.Team> insertedTeams = new ArrayList<>();
    public final List<TeamMember> insertedTeamMembers = new ArrayList<>();
    /** Memberships SCIM placed that end: the placement moved to another organization. */
    public final List<BatchState.Member> deletedMembers = new ArrayList<>();
    /** Team places that end: the placement's team changed, or the IdP deactivated the user. */
    public final List<TeamMember> deletedTeamMembers = new ArrayList<>();
    /** Accounts whose team places its JIT sign-ins made become SCIM's: a JIT member SCIM adopted. */
    public final Set<UUID> teamPlacesTakenOver = new LinkedHashSet<>();
    public final List<HeldChange> heldChanges = new ArrayList<>();
    public final List<DecidedHold> decidedHolds = new ArrayList<>();
    /**
     * Held changes still undecided whose account an approved one changed: the version they follow from now on (an
     * approval applies an account's held changes one batch after another, each checking the version it was held at).
     */
    public final Map<UUID, Long> rebasedHolds = new LinkedHashMap<>();
    public final List<Deprovisioning> deprovisionings = new ArrayList<>();
    public final List<Processed> processed = new ArrayList<>();
    public final List<ProvisioningError> errors = new ArrayList<>();
    /** Account id to the W3C trace context of the command that changed it, for its events. */
    public final Map<UUID, String> traces = new LinkedHashMap<>();

    void updated(BatchState.Account account) {
        if (!insertedAccounts.contains(account)) {
            updatedAccounts.add(account);
        }
    }

    void updated(BatchState.Member member) {
        if (!insertedMembers.contains(member)) {
            updatedMembers.add(member);
        }
    }
}
