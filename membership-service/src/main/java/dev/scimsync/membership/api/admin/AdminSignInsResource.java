package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.api.WriteRefusals;
import dev.scimsync.membership.domain.SignInAttempt;
import dev.scimsync.membership.domain.SignInOutcome;
import dev.scimsync.membership.persistence.SignIns;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Admin API: the SSO layer reports each sign-in here and learns whether the person gets in, and to which
 * organizations ({@link SignIns}: SCIM's refusals first, invitations, then Just-in-Time provisioning or, with it
 * off, existing members only).
 */
@Path("/internal/v1/admin/connections/{name}/sign-ins")
public class AdminSignInsResource {

    public record SignIn(String email, String givenName, String familyName, List<String> groups,
            Map<String, Object> attributes) {
        SignInAttempt toAttempt() {
            return new SignInAttempt(email, givenName, familyName, groups, attributes);
        }
    }

    public record SignInResult(String access, String accountId, List<String> organizations,
            List<String> ignoredGroups) {
    }

    private final SignIns signIns;

    public AdminSignInsResource(SignIns signIns) {
        this.signIns = signIns;
    }

    /**
     * 200 granted, 403 denied (the reason in {@code detail}), 409 when a placement finds an organization full - and
     * then nothing of the sign-in is written: the failure ({@code Memberships.NoSeats}) rolls its transaction back
     * and is answered by {@link WriteRefusals#noSeats}.
     */
    @POST
    public Uni<Response> signIn(@PathParam("name") String name, SignIn request) {
        if (request == null || request.email() == null || !request.email().contains("@")) {
            return AdminErrors.uni(400, "'email' is required");
        }
        // A person's first sign-in from two tabs at once: both create the account, the second insert is refused
        // (unique violation) and its transaction rolled back; run again, it finds the first one's account.
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> AdminLookups.withConnection(name,
                        connection -> signIns.signIn(connection, request.toAttempt())
                                .map(AdminSignInsResource::response))))
                .onFailure(WriteRefusals::uniqueViolation).retry().atMost(2);
    }

    private static Response response(SignInOutcome outcome) {
        if (outcome instanceof SignInOutcome.Granted granted) {
            return Response.ok(new SignInResult("granted", granted.accountId(), granted.organizations(),
                    granted.ignoredGroups())).build();
        }
        return AdminErrors.response(403, ((SignInOutcome.Denied) outcome).detail());
    }
}
