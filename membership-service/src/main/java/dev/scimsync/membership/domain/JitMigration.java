package dev.scimsync.membership.domain;

import java.util.List;

/**
 * The JIT-to-SCIM migration of a connection: which JIT members SCIM would adopt (matched by email when the IdP
 * creates them) and which members it never will. Run for real (not a dry run), it turns adoption on.
 *
 * @param adoptionEnabled whether the connection adopts JIT members once this migration is applied
 */
public record JitMigration(boolean dryRun, boolean adoptionEnabled, List<String> adoptable,
        List<NotAdoptable> notAdoptable) {

    public record NotAdoptable(String email, String reason) {
    }

    /**
     * @param dryRunRequested  what the admin asked for; a dry run unless they said {@code false}
     * @param adoptingBefore   whether the connection already adopts JIT members
     * @param jitUserNames     the connection's JIT members
     * @param manualUserNames  the members added by hand to the connection's organizations
     */
    public static JitMigration of(Boolean dryRunRequested, boolean adoptingBefore, List<String> jitUserNames,
            List<String> manualUserNames) {
        boolean dryRun = dryRunRequested == null || dryRunRequested;
        return new JitMigration(dryRun, adoptingBefore || !dryRun, jitUserNames, manualUserNames.stream()
                .map(email -> new NotAdoptable(email,
                        "added by hand: SCIM never adopts manual members; an admin removes them"))
                .toList());
    }
}
