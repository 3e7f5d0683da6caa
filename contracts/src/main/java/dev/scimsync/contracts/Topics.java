package dev.scimsync.contracts;

/** Kafka topic names shared by every service. Commands are keyed by connection id, so one tenant's commands stay in order. */
public final class Topics {
    /** Commands for SCIM users, consumed by membership-service. */
    public static final String USER_COMMANDS = "scim.user.commands";
    /** Commands for SCIM groups, consumed by group-sync-service. */
    public static final String GROUP_COMMANDS = "scim.group.commands";
    /** The result of every command, read by the gateway (to answer the IdP) and by audit-service. */
    public static final String COMMAND_OUTCOMES = "scim.command.outcomes";
    /** Membership events (CloudEvents) published from membership-service's outbox. */
    public static final String MEMBERSHIP_EVENTS = "membership.events";
    /**
     * Each member's current state in each organization ({@link MemberStateRecord}), keyed by
     * {@code <organization id>/<member id>}, from membership-service's outbox in the same transactions and order as
     * {@link #MEMBERSHIP_EVENTS}; a tombstone (null value) when the member leaves the organization. Compacted: read
     * from the beginning, it is the current membership of every organization, without calling any API.
     */
    public static final String MEMBERSHIP_STATE = "membership.state";
    /**
     * Where each SCIM user's IdP groups place it ({@link GroupPlacements}, keyed by user id), from
     * group-sync-service's outbox, read by membership-service, which owns membership: a mapped group makes its
     * members members of the organization.
     */
    public static final String GROUP_PLACEMENTS = "group.placements";
    /** Team events (CloudEvents) published from group-sync-service's outbox. */
    public static final String TEAM_EVENTS = "team.events";
    /**
     * Each SCIM token's current state ({@link ScimCredential}, keyed by token id) from membership-service's
     * outbox, read from the beginning by every gateway instance. Compacted: the latest record per token is kept
     * for ever, so the topic always holds every token's state.
     */
    public static final String SCIM_CREDENTIALS = "scim.credentials";
    /**
     * Every admin write through the gateway ({@link AdminAction}: who, what, when, from where, with what
     * result), published by the gateway and recorded by audit-service. Keyed by the connection acted on.
     */
    public static final String ADMIN_ACTIONS = "admin.actions";
    /**
     * Each connection's audit chain head ({@link ChainHead}, keyed by connection id), published by audit-service
     * outside its database and read back by its {@code verify}. Compacted: the latest head per connection is kept.
     */
    public static final String AUDIT_CHAIN_HEADS = "audit.chain-heads";
    /** User commands membership-service could never apply (unreadable), parked with the reason in headers. */
    public static final String USER_COMMANDS_DLQ = "scim.user.commands.dlq";
    /** Group commands group-sync-service could never apply (unreadable). */
    public static final String GROUP_COMMANDS_DLQ = "scim.group.commands.dlq";
    /** Messages audit-service could never record (unreadable, or refused by its database). */
    public static final String AUDIT_DLQ = "audit.dlq";
    /** The dead-letter topics: what is parked there can be listed and replayed (/admin/v1/dead-letters). */
    public static final java.util.List<String> DEAD_LETTERS = java.util.List.of(USER_COMMANDS_DLQ, GROUP_COMMANDS_DLQ,
            AUDIT_DLQ);

    /** Every topic with the partition count the local stack and tests create it with. */
    public static final java.util.Map<String, Integer> PARTITIONS = java.util.Map.ofEntries(
            java.util.Map.entry(USER_COMMANDS, 4),
            java.util.Map.entry(GROUP_COMMANDS, 4),
            java.util.Map.entry(COMMAND_OUTCOMES, 4),
            java.util.Map.entry(MEMBERSHIP_EVENTS, 4),
            java.util.Map.entry(MEMBERSHIP_STATE, 4),
            java.util.Map.entry(TEAM_EVENTS, 4),
            java.util.Map.entry(GROUP_PLACEMENTS, 4),
            // A few records per connection: one partition is plenty, and every gateway reads all of it anyway.
            java.util.Map.entry(SCIM_CREDENTIALS, 1),
            // Admin writes are a few a minute at most (sign-ins aside): keyed by connection, like the commands.
            java.util.Map.entry(ADMIN_ACTIONS, 4),
            // A head per connection a minute at most, read whole by every audit-service instance.
            java.util.Map.entry(AUDIT_CHAIN_HEADS, 1),
            // Dead letters are rare and read whole by the admin API: one partition keeps them in parking order.
            java.util.Map.entry(USER_COMMANDS_DLQ, 1),
            java.util.Map.entry(GROUP_COMMANDS_DLQ, 1),
            java.util.Map.entry(AUDIT_DLQ, 1));

    /** The topics created with {@code cleanup.policy=compact}: they hold state, not a history. */
    public static final java.util.Set<String> COMPACTED = java.util.Set.of(SCIM_CREDENTIALS, AUDIT_CHAIN_HEADS,
            MEMBERSHIP_STATE, GROUP_PLACEMENTS);

    private Topics() {
    }
}
