package dev.scimsync.serviceauth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Who called: the service whose key verified the token. SmallRye JWT has checked the signature against the key
 * the token's {@code kid} names in the JWKS (and audience, expiry); a key belongs to the service its {@code kid}
 * names ({@code scim-gateway}, or {@code scim-gateway.2} while a new key is rolled out), so the token's issuer
 * and subject must be that service - a service cannot speak for another with its own key. The caller's one role
 * is its name, which the HTTP permissions of each service allow or not; roles the token itself claims
 * ({@code groups}) are ignored, as anything a caller writes about itself.
 */
@ApplicationScoped
public class CallingService implements SecurityIdentityAugmentor {

    /** Reads a token that SmallRye JWT has already verified, for its header and claims. */
    private static final JwtConsumer VERIFIED_TOKEN_READER = new JwtConsumerBuilder()
            .setSkipSignatureVerification().setSkipAllValidators().build();

    private final VerifiedServiceTokens verifiedTokens;

    public CallingService(VerifiedServiceTokens verifiedTokens) {
        this.verifiedTokens = verifiedTokens;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        TokenCredential token = identity.isAnonymous() ? null : identity.getCredential(TokenCredential.class);
        if (token == null) {
            return Uni.createFrom().item(identity);
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken)) {
            // Not from SmallRye JWT: the caller is the one remembered when this exact token was verified, or nobody.
            return Uni.createFrom().item(verifiedTokens.known(token.getToken())
                    .orElseThrow(() -> new AuthenticationFailedException("not a verified service token")));
        }
        // SmallRye JWT has just verified the token (its principal is the JsonWebToken).
        VerifiedCaller verified = caller(token.getToken());
        SecurityIdentity caller = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(verified.service()))
                .addRole(verified.service())
                .addCredential(token)
                .build();
        verifiedTokens.remember(token.getToken(), caller, verified.expiresAt());
        return Uni.createFrom().item(caller);
    }

    /** The service a verified token comes from, and when the token expires. */
    record VerifiedCaller(String service, Instant expiresAt) {
    }

    /** The service a verified token comes from; refused unless its issuer and subject are the service its key names. */
    static VerifiedCaller caller(String verifiedToken) {
        try {
            JwtContext read = VERIFIED_TOKEN_READER.process(verifiedToken);
            String kid = read.getJoseObjects().get(0).getKeyIdHeaderValue();
            String keyOwner = kid == null ? null : kid.split("\\.", 2)[0];
            if (keyOwner == null || keyOwner.isEmpty() || !keyOwner.equals(read.getJwtClaims().getIssuer())
                    || !keyOwner.equals(read.getJwtClaims().getSubject())) {
                throw new AuthenticationFailedException("the token's issuer and subject are not the service its key ("
                        + kid + ") belongs to");
            }
            NumericDate expiry = read.getJwtClaims().getExpirationTime();
            // SmallRye JWT refuses a token without exp; one that got here anyway is not remembered.
            return new VerifiedCaller(keyOwner, expiry == null ? Instant.EPOCH : Instant.ofEpochSecond(expiry.getValue()));
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw new AuthenticationFailedException("unreadable token", e);
        }
    }
}
