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
    /** Team events (CloudEvents) published from group-sync-service's outbox. */
    public static final String TEAM_EVENTS = "team.events";

    /** Every topic with the partition count the local stack and tests create it with. */
    public static final java.util.Map<String, Integer> PARTITIONS = java.util.Map.of(
            USER_COMMANDS, 4,
            GROUP_COMMANDS, 4,
            COMMAND_OUTCOMES, 4,
            MEMBERSHIP_EVENTS, 4,
            TEAM_EVENTS, 4);

    private Topics() {
    }
}
