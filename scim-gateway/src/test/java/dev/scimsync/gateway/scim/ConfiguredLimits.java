package dev.scimsync.gateway.scim;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The limits as application.properties sets them, for the tests that run without Quarkus. */
public final class ConfiguredLimits {

    private ConfiguredLimits() {
    }

    public static ScimLimits load() {
        try {
            return new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(ConfiguredLimits.class.getResource("/application.properties")))
                    .addDefaultInterceptors()
                    .withMapping(ScimLimits.class)
                    .build()
                    .getConfigMapping(ScimLimits.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Request readers with the configured limits. */
    public static UserRequests userRequests() {
        ScimLimits limits = load();
        return new UserRequests(new RequestBodies(limits), limits);
    }

    public static GroupRequests groupRequests() {
        ScimLimits limits = load();
        return new GroupRequests(new RequestBodies(limits), limits);
    }
}
