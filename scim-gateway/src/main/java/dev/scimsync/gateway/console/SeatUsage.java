package dev.scimsync.gateway.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Organizations as the admin API lists them, with how full each is (for a meter) and a plain summary. Seats are
 * held by active members ({@code seatsUsed}); deactivated members stay listed in {@code members} but hold none.
 */
final class SeatUsage {

    static List<Map<String, Object>> of(List<Map<String, Object>> organizations) {
        return organizations.stream().map(SeatUsage::usage).toList();
    }

    private static Map<String, Object> usage(Map<String, Object> organization) {
        Map<String, Object> usage = new LinkedHashMap<>(organization);
        long members = ((Number) organization.getOrDefault("members", 0)).longValue();
        long used = ((Number) organization.getOrDefault("seatsUsed", members)).longValue();
        String deactivated = members > used ? " (" + (members - used) + " deactivated, holding none)" : "";
        Object seats = organization.get("seats");
        if (seats instanceof Number limit) {
            usage.put("limited", true);
            usage.put("summary", used + " of " + limit.longValue() + " seats used" + deactivated);
            usage.put("full", used >= limit.longValue());
        } else {
            usage.put("limited", false);
            usage.put("summary", used + " active members, no seat limit" + deactivated);
            usage.put("full", false);
        }
        return usage;
    }

    private SeatUsage() {
    }
}
