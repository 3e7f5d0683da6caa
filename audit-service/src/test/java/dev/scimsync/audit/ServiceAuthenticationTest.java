package dev.scimsync.audit;

import dev.scimsync.testsupport.InternalApiAuthenticationContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** audit-service's admin API answers only the gateway (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(AuditTestInfrastructure.class)
class ServiceAuthenticationTest extends InternalApiAuthenticationContract {

    ServiceAuthenticationTest() {
        super("audit-service", "membership-service");
    }

    @Override
    protected String adminPath() {
        return "/internal/v1/admin/audit/records";
    }
}
