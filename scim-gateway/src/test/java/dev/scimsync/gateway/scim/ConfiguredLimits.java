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
        return new UserRequests(load());
    }

    public static GroupRequests groupRequests() {
        return new GroupRequests(load());
    }
}
