package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;

/**
 * An organization with how full it is (for a meter) and a plain summary. Seats are held by active members
 * ({@code seatsUsed}); deactivated members stay counted in {@code members} but hold none.
 *
 * @param seats     the seat limit, null for none
 * @param seatsUsed the active members; when the admin API does not say, every member
 */
@TemplateData
public record Organization(String name, Integer seats, long members, Long seatsUsed) {

    public Organization {
        seatsUsed = seatsUsed == null ? members : seatsUsed;
    }

    public boolean limited() {
        return seats != null;
    }

    public boolean full() {
        return seats != null && seatsUsed >= seats;
    }

    public String summary() {
        String deactivated = members > seatsUsed ? " (" + (members - seatsUsed) + " deactivated, holding none)" : "";
        return seats != null ? seatsUsed + " of " + seats + " seats used" + deactivated
                : seatsUsed + " active members, no seat limit" + deactivated;
    }
}
