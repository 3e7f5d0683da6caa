package dev.scimsync.audit.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@code hash = SHA-256(previous hash || canonical JSON of the record)}, hex-encoded; per connection. */
public final class HashChain {

    /** The "previous hash" of a connection's first record. */
    public static final String GENESIS = "0".repeat(64);

    private HashChain() {
    }

    public static String next(String previousHash, String canonicalRecord) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update(canonicalRecord.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
