package dev.scimsync.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The bootstrap SCIM token, the admin token, audit-service's chain key and its runtime database role's password,
 * generated on the first start and kept in the data directory so that an IdP configured once keeps working across
 * restarts, and the audit chain written before a restart still verifies after it.
 */
record StackSecrets(String scimToken, String adminToken, String auditChainKey, String auditRuntimePassword) {

    /** The id audit-service stores with each record it chains with {@link #auditChainKey}. */
    static final String AUDIT_CHAIN_KEY_ID = "local";

    private static final SecureRandom RANDOM = new SecureRandom();

    static StackSecrets loadOrCreate(Path file) throws IOException {
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                stored.load(reader);
            }
        }
        boolean complete = stored.getProperty("scim-token") != null && stored.getProperty("admin-token") != null;
        if (!complete) {
            stored.setProperty("scim-token", newScimToken());
            stored.setProperty("admin-token", "adm_" + randomSecret());
        }
        // Added to a data directory made before the chain was keyed or the runtime role existed, keeping its tokens.
        boolean added = false;
        for (String secret : new String[] {"audit-chain-key", "audit-runtime-password"}) {
            if (!complete || stored.getProperty(secret) == null) {
                stored.setProperty(secret, randomSecret());
                added = true;
            }
        }
        if (!complete || added) {
            try (Writer writer = Files.newBufferedWriter(file)) {
                stored.store(writer, "local stack secrets - delete this file (and the data) to start afresh");
            }
        }
        return new StackSecrets(stored.getProperty("scim-token"), stored.getProperty("admin-token"),
                stored.getProperty("audit-chain-key"), stored.getProperty("audit-runtime-password"));
    }

    /** The token format membership-service verifies: {@code scim_<token id>_<secret>}. */
    static String newScimToken() {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        return "scim_" + HexFormat.of().formatHex(id) + "_" + randomSecret();
    }

    private static String randomSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
