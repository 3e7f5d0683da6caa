package dev.scimsync.audit.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/**
 * The audit chain's MAC keys ({@code audit.chain.keys.<key id>=<secret>}, each also settable as
 * {@code AUDIT_CHAIN_KEYS_<KEY ID>}) and the id of the one new records use ({@code audit.chain.current-key}).
 * No default outside dev and test: production refuses to start without a key. docs/security.md has rotation.
 */
@ConfigMapping(prefix = "audit.chain")
public interface ChainKeyConfig {

    Map<String, String> keys();

    String currentKey();
}
