package dev.scimsync.audit.domain;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The audit chain's MAC keys by key id, and the one new records are chained with. Old keys stay listed after a
 * rotation so the records made with them still verify; a key id is stored with every record.
 */
public final class ChainKeys {

    /**
     * Lower-case letters and digits: a key id is also the tail of its environment variable
     * ({@code AUDIT_CHAIN_KEYS_<ID>}), which cannot tell dashes, dots or case apart.
     */
    private static final String KEY_ID = "[a-z0-9]{1,32}";
    /** HMAC-SHA256 keys shorter than its 32-byte output weaken it. */
    static final int MIN_SECRET_BYTES = 32;

    private final Map<String, byte[]> secrets;
    private final String currentKeyId;

    private ChainKeys(Map<String, byte[]> secrets, String currentKeyId) {
        this.secrets = secrets;
        this.currentKeyId = currentKeyId;
    }

    /** Refuses a configuration that would chain new records with a missing or weak key. */
    public static ChainKeys of(Map<String, String> secretsById, String currentKeyId) {
        Map<String, byte[]> secrets = new TreeMap<>();
        secretsById.forEach((id, secret) -> {
            if (!id.matches(KEY_ID)) {
                throw new IllegalArgumentException("audit chain key id '" + id + "' is not 1 to 32 lower-case letters "
                        + "and digits");
            }
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("audit chain key '" + id + "' is shorter than " + MIN_SECRET_BYTES
                        + " bytes");
            }
            secrets.put(id, bytes);
        });
        if (!secrets.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current audit chain key '" + currentKeyId + "' is not among the "
                    + "configured keys " + secrets.keySet() + " (audit.chain.keys." + currentKeyId + ")");
        }
        return new ChainKeys(secrets, currentKeyId);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    public Optional<byte[]> secret(String keyId) {
        return Optional.ofNullable(secrets.get(keyId));
    }

    /**
     * The entry's chain value: HMAC with the key its key id names, or plain SHA-256 for a record written before
     * the chain was keyed (no key id); empty when its key id is not configured here.
     */
    public Optional<String> chainValue(AuditEntry entry) {
        if (entry.keyId() == null) {
            return Optional.of(HashChain.unkeyed(entry.previousHash(), entry.canonical()));
        }
        return secret(entry.keyId()).map(key -> HashChain.keyed(key, entry.previousHash(), entry.canonical()));
    }
}
