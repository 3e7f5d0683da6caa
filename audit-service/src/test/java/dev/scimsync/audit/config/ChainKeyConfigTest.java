package dev.scimsync.audit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart and the local stack hand the keys over as environment variables, one per key id. */
class ChainKeyConfigTest {

    @Test
    void keysAndTheCurrentKeyComeFromEnvironmentVariables() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of("AUDIT_CHAIN_CURRENT_KEY", "k2026",
                        "AUDIT_CHAIN_KEYS_K2025", "old-secret", "AUDIT_CHAIN_KEYS_K2026", "new-secret"), 300))
                .withMapping(ChainKeyConfig.class)
                .build();

        ChainKeyConfig keys = config.getConfigMapping(ChainKeyConfig.class);

        assertEquals("k2026", keys.currentKey());
        assertEquals(Map.of("k2025", "old-secret", "k2026", "new-secret"), keys.keys());
    }
}
