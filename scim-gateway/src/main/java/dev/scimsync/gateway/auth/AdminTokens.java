package dev.scimsync.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The admin tokens the gateway accepts and whose they are. Today there is one, the operator's
 * ({@code admin.token}), which manages everything and is named {@value #OPERATOR} wherever an admin is named
 * (the audit log, logs); the token itself is never named.
 */
@ApplicationScoped
public class AdminTokens {

    public static final String OPERATOR = "operator";

    /**
     * An admin and the token it authenticated with, by digest: enough to tell later whether that token still
     * admits (a console session checks on every request) without keeping the token.
     */
    public record Admin(String name, String tokenDigest) {
    }

    private final Optional<String> operatorToken;

    @Inject
    public AdminTokens(@ConfigProperty(name = "admin.token") Optional<String> operatorToken) {
        this.operatorToken = operatorToken.filter(token -> !token.isBlank());
    }

    /** The admin a presented token belongs to (compared in constant time); empty when it is no admin token. */
    public Optional<Admin> identify(String presented) {
        if (operatorToken.isEmpty() || presented == null || !MessageDigest.isEqual(
                operatorToken.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(new Admin(OPERATOR, digest(presented)));
    }

    /** Whether the token this admin authenticated with still admits it (false once it is replaced). */
    public boolean stillValid(Admin admin) {
        return operatorToken.isPresent() && OPERATOR.equals(admin.name()) && MessageDigest.isEqual(
                digest(operatorToken.get()).getBytes(StandardCharsets.US_ASCII),
                admin.tokenDigest().getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
