package dev.scimsync.bench;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-connection SCIM rate limit the running gateway was started with, read from its environment and
 * command line the way MicroProfile Config resolves {@code scim.rate-limit.*} (system property, then the
 * property's own environment name, then the variable scim-gateway's application.properties refers to, then
 * that file's default).
 */
record RateLimitSetting(boolean known, boolean enabled, double requestsPerSecond, int burst, String source) {

    static final double DEFAULT_RPS = 100;
    static final int DEFAULT_BURST = 200;

    static RateLimitSetting from(Map<String, String> environment, String commandLine) {
        String enabled = resolve(environment, commandLine, "scim.rate-limit.enabled", "SCIM_RATE_LIMIT_ENABLED");
        String rps = resolve(environment, commandLine, "scim.rate-limit.requests-per-second", "SCIM_RATE_LIMIT_RPS");
        String burst = resolve(environment, commandLine, "scim.rate-limit.burst", "SCIM_RATE_LIMIT_BURST");
        boolean set = enabled != null || rps != null || burst != null;
        return new RateLimitSetting(true, enabled == null || Boolean.parseBoolean(enabled.trim()),
                rps == null ? DEFAULT_RPS : Double.parseDouble(rps.trim()),
                burst == null ? DEFAULT_BURST : Integer.parseInt(burst.trim()),
                set ? "the gateway's environment" : "scim-gateway's defaults (nothing set in its environment)");
    }

    /** The gateway of SCIM_BASE_URL was not found among this machine's processes: its setting cannot be read. */
    static RateLimitSetting unknown() {
        return new RateLimitSetting(false, true, 0, 0, "");
    }

    private static String resolve(Map<String, String> environment, String commandLine, String property,
            String variable) {
        Matcher system = Pattern.compile("-D" + Pattern.quote(property) + "=(\\S+)").matcher(commandLine);
        if (system.find()) {
            return system.group(1);
        }
        String ownName = property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
        if (environment.containsKey(ownName)) {
            return environment.get(ownName);
        }
        return environment.get(variable);
    }

    /** Whether the limit leaves room for {@code createsPerSecond} syncs (a lookup and a create each) over the connections. */
    boolean allows(double createsPerSecond, int connections) {
        return known && (!enabled || requestsPerSecond * connections >= 2 * createsPerSecond);
    }

    String describe() {
        if (!known) {
            return "unknown (the gateway of SCIM_BASE_URL was not found among this machine's processes)";
        }
        return enabled
                ? String.format("%.0f requests/s per connection, burst %d (from %s)", requestsPerSecond, burst, source)
                : "off (SCIM_RATE_LIMIT_ENABLED=false, from " + source + ")";
    }
}
