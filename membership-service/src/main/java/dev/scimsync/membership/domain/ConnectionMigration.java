package dev.scimsync.membership.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The migration of an organization from one connection (IdP) to another: which members of the old connection the
 * new one's SCIM creates would adopt - the member keeps its id, memberships, roles and teams, and from then on only
 * the new IdP changes it - and which it never will. Run for real (not a dry run), it turns adoption on.
 *
 * @param from            the old connection's name
 * @param adoptionEnabled whether the new connection adopts the old one's members once this migration is applied
 */
public record ConnectionMigration(boolean dryRun, String from, boolean adoptionEnabled, List<String> adoptable,
        List<JitMigration.NotAdoptable> notAdoptable) {

    /**
     * A member of the old connection in one of the new connection's organizations.
     *
     * @param alsoElsewhere whether it is also a member of an organization the new connection does not serve
     */
    public record Candidate(String email, boolean active, boolean alsoElsewhere) {
    }

    /**
     * @param dryRunRequested what the admin asked for; a dry run unless they said {@code false}
     * @param adoptingBefore  whether the new connection already adopts this old connection's members
     * @param newConnection   the new connection's name
     * @param candidates      the old connection's members in the new connection's organizations
     */
    public static ConnectionMigration of(Boolean dryRunRequested, boolean adoptingBefore, String from,
            String newConnection, List<Candidate> candidates) {
        boolean dryRun = dryRunRequested == null || dryRunRequested;
        List<String> adoptable = new ArrayList<>();
        List<JitMigration.NotAdoptable> notAdoptable = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.alsoElsewhere()) {
                notAdoptable.add(new JitMigration.NotAdoptable(candidate.email(), "also a member of organizations "
                        + "connection " + newConnection + " does not serve: its IdP would rule over their access "
                        + "there; stays a member through " + from + " (its creates are refused as another "
                        + "connection's member)"));
            } else if (!candidate.active()) {
                notAdoptable.add(new JitMigration.NotAdoptable(candidate.email(), "deactivated by the IdP of "
                        + "connection " + from + ": a migration adopts active members only - re-activate the user "
                        + "there, or remove the member by hand"));
            } else {
                adoptable.add(candidate.email());
            }
        }
        return new ConnectionMigration(dryRun, from, adoptingBefore || !dryRun, adoptable, notAdoptable);
    }
}
