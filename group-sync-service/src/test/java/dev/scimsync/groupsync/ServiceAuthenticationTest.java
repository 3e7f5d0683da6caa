package dev.scimsync.groupsync;

import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.InternalApiAuthenticationContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** group-sync-service's internal API answers only the gateway (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class ServiceAuthenticationTest extends InternalApiAuthenticationContract {

    private static final String CONNECTION_ID = "1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

    ServiceAuthenticationTest() {
        super("group-sync-service", "membership-service");
    }

    @BeforeEach
    void aConnection() {
        FakeMembership.CONNECTIONS.put(CONNECTION_ID,
                new ConnectionSummary(CONNECTION_ID, "auth-sso", true, List.of("auth-org")));
    }

    @Override
    protected String adminPath() {
        return "/internal/v1/admin/connections/auth-sso/group-mappings";
    }
}
