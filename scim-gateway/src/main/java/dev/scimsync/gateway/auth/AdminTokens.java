package dev.scimsync.gateway.auth;

import dev.scimsync.contracts.ScopedAdminTokens;
import dev.scimsync.gateway.membership.MembershipClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The admin tokens the gateway accepts and whose they are. The operator's ({@code admin.token}) manages everything
 * and is named {@value #OPERATOR} wherever an admin is named (the audit log, logs). An organization's admin tokens
 * ({@link ScopedAdminTokens}, issued by the operator through membership-service) admit to that organization only
 * ({@link AdminScope}) and are named {@code org:<organization>/<token id>}. The token itself is never named.
 *
 * <p>A scoped token is checked with membership-service on every request - its id and the digest of its secret,
 * never the secret - and not cached: admin traffic is light, and asking every time is what makes a revocation
 * end the token, and every console session opened with it, on every replica at once.
 */
@ApplicationScoped
public class AdminTokens {

    public static final String OPERATOR = "operator";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    /**
     * An admin, what it may reach, and the token it authenticated with - by id and digest: enough to tell later
     * whether that token still admits (a console session checks on every request) without keeping the token.
     */
    public record Admin(String name, AdminScope scope, String tokenId, String tokenDigest) {
        @Override
        public String toString() {
            return "Admin[" + name + "]";
        }
    }

    /** membership-service could not say whether a scoped token is live: neither admitted nor refused. */
    public static final class CheckUnavailable extends RuntimeException {
        CheckUnavailable(String message) {
            super(message);
        }
    }

    private final Optional<String> operatorToken;
    private final MembershipClient membership;

    @Inject
    public AdminTokens(@ConfigProperty(name = "admin.token") Optional<String> operatorToken,
            @RestClient MembershipClient membership) {
        this.operatorToken = operatorToken.filter(token -> !token.isBlank());
        this.membership = membership;
    }

    /** The name a scoped admin goes by in audit records and logs. */
    public static String scopedName(String organization, String tokenId) {
        return "org:" + organization + "/" + tokenId;
    }

    /**
     * The admin a presented token belongs to (the operator's compared in constant time); empty when it is no live
     * admin token. Fails with {@link CheckUnavailable} when a scoped token could not be checked.
     */
    public Uni<Optional<Admin>> identify(String presented) {
        if (presented == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (isOperatorToken(presented)) {
            return Uni.createFrom().item(Optional.of(
                    new Admin(OPERATOR, AdminScope.OPERATOR, null, digest(presented))));
        }
        return ScopedAdminTokens.parse(presented).map(token -> check(token.check()))
                .orElseGet(() -> Uni.createFrom().item(Optional.empty()));
    }

    /**
     * Whether the token this admin authenticated with still admits it: the operator's until it is replaced, a
     * scoped one until it is revoked. Fails with {@link CheckUnavailable} when that could not be asked.
     */
    public Uni<Boolean> stillValid(Admin admin) {
        if (admin.scope().isOperator()) {
            return Uni.createFrom().item(operatorToken.isPresent() && MessageDigest.isEqual(
                    digest(operatorToken.get()).getBytes(StandardCharsets.US_ASCII),
                    admin.tokenDigest().getBytes(StandardCharsets.US_ASCII)));
        }
        return check(new ScopedAdminTokens.Check(admin.tokenId(), admin.tokenDigest()))
                .map(checked -> checked.filter(again -> again.name().equals(admin.name())).isPresent());
    }

    private boolean isOperatorToken(String presented) {
        return operatorToken.isPresent() && MessageDigest.isEqual(
                operatorToken.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private Uni<Optional<Admin>> check(ScopedAdminTokens.Check check) {
        return Uni.createFrom().deferred(() -> membership.verifyAdminToken(check))
                .ifNoItem().after(CHECK_TIMEOUT).fail()
                .onFailure().transform(failure -> new CheckUnavailable("the admin token could not be checked: "
                        + failure))
                .map(answer -> {
                    if (answer.getStatus() == 200) {
                        ScopedAdminTokens.Verified verified = answer.readEntity(ScopedAdminTokens.Verified.class);
                        return Optional.of(new Admin(scopedName(verified.organization(), verified.tokenId()),
                                AdminScope.organization(verified.organization()), verified.tokenId(),
                                check.secretDigest()));
                    }
                    if (answer.getStatus() == 401) {
                        return Optional.empty();
                    }
                    throw new CheckUnavailable("membership-service answered " + answer.getStatus()
                            + " to an admin token check");
                });
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
