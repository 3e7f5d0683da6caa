package dev.scimsync.audit.config;

import dev.scimsync.audit.domain.ChainKeys;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class ChainKeysProducer {

    /** Made at start, so a missing or short current key fails the start rather than the first append. */
    @Produces
    @Singleton
    @Startup
    ChainKeys chainKeys(ChainKeyConfig config) {
        return ChainKeys.of(config.keys(), config.currentKey());
    }
}
