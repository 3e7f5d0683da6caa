package dev.scimsync.gateway.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Organizations as the admin API lists them, with how full each is (for a meter) and a plain summary. */
final class SeatUsage {

    static List<Map<String, Object>> of(List<Map<String, Object>> organizations) {
        return organizations.stream().map(SeatUsage::usage).toList();
    }

    private static Map<String, Object> usage(Map<String, Object> organization) {
        Map<String, Object> usage = new LinkedHashMap<>(organization);
        long members = ((Number) organization.getOrDefault("members", 0)).longValue();
        Object seats = organization.get("seats");
        if (seats instanceof Number limit) {
            usage.put("limited", true);
            usage.put("summary", members + " of " + limit.longValue() + " seats used");
            usage.put("full", members >= limit.longValue());
        } else {
            usage.put("limited", false);
            usage.put("summary", members + " members, no seat limit");
            usage.put("full", false);
        }
        return usage;
    }

    private SeatUsage() {
    }
}
