package dev.scimsync.audit.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A record's chain value, per connection, hex-encoded: {@code HMAC-SHA256(key, previous value || canonical JSON of
 * the record)} with a key kept outside the database ({@link ChainKeys}), so whoever owns the audit tables cannot
 * recompute a chain they changed. Records written before keys existed carry {@code SHA-256(previous || canonical)}
 * ({@link #unkeyed}) and still verify as what they are.
 */
public final class HashChain {

    /** The "previous value" of a connection's first record. */
    public static final String GENESIS = "0".repeat(64);

    private HashChain() {
    }

    public static String keyed(byte[] key, String previousValue, String canonicalRecord) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update(previousValue.getBytes(StandardCharsets.US_ASCII));
            hmac.update(canonicalRecord.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hmac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** The chain value of records written before the chain was keyed; never written any more. */
    public static String unkeyed(String previousValue, String canonicalRecord) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousValue.getBytes(StandardCharsets.US_ASCII));
            sha256.update(canonicalRecord.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
