package dev.scimsync.groupsync.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.contracts.query.GroupPage;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.groupsync.FakeMembership;
import dev.scimsync.groupsync.TestTenant;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A page of groups with their members holds at most {@code groups.page-member-rows} member rows (a group larger
 * than that alone), whatever {@code count} asks for; paging on from where a page ended, by index or by keyset,
 * reaches every group.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
@QuarkusTestResource(FakeMembership.class)
class GroupPagesTest {

    private final KafkaTestClient kafka = KafkaTestClient.forQuarkusTest();

    @ConfigProperty(name = "groups.page-member-rows")
    int pageMemberRows;

    @Test
    void aPageOfGroupsWithMembersStaysWithinItsMemberRowsAndPagingReachesEveryGroup() {
        TestTenant tenant = new TestTenant();
        int third = pageMemberRows * 2 / 5;
        int largest = pageMemberRows * 3 / 2;
        List<String> users = tenant.users(largest);
        // In creation order, the default order of a page: two fit together, the third does not fit beside them,
        // the fourth is over the budget on its own.
        List<String> ids = List.of(create(tenant, "paged-a", users.subList(0, third)),
                create(tenant, "paged-b", users.subList(third, 2 * third)),
                create(tenant, "paged-c", users.subList(0, third)),
                create(tenant, "paged-d", users.subList(0, pageMemberRows)),
                create(tenant, "paged-e", users.subList(0, 10)));
        // A command carries up to 25,000 ids (the gateway's limit): the largest group grows by a second one.
        kafka.apply(GroupCommand.modify(tenant.connectionId, ids.get(3),
                List.of(GroupEdit.addMembers(users.subList(pageMemberRows, largest))), null, null));

        List<List<String>> pages = new ArrayList<>();
        int startIndex = 1;
        while (startIndex <= ids.size()) {
            GroupPage page = page(tenant, startIndex, true);
            assertEquals(ids.size(), page.total(), "totalResults stays the number of matching groups");
            long rows = page.groups().stream().mapToLong(entry -> entry.members().size()).sum();
            assertTrue(rows <= pageMemberRows || page.groups().size() == 1, rows + " member rows in " + page);
            page.groups().forEach(entry -> assertEquals(entry.group().memberCount(), entry.members().size()));
            pages.add(page.groups().stream().map(entry -> entry.group().id()).toList());
            startIndex += page.groups().size();
        }

        assertEquals(List.of(ids.subList(0, 2), ids.subList(2, 3), ids.subList(3, 4), ids.subList(4, 5)), pages);
        assertEquals(largest, page(tenant, 4, true).groups().get(0).members().size(), "a larger group comes alone");
        // Without their members, the page is as long as asked.
        GroupPage lean = page(tenant, 1, false);
        assertEquals(ids, lean.groups().stream().map(entry -> entry.group().id()).toList());

        // Keyset pages are cut the same way, and a cut page says that groups follow it.
        List<List<String>> keysetPages = new ArrayList<>();
        List<Boolean> more = new ArrayList<>();
        Keyset after = null;
        do {
            GroupPage page = query(tenant, new ResourceQuery(null, null, false, 1, 200, after), true);
            keysetPages.add(page.groups().stream().map(entry -> entry.group().id()).toList());
            more.add(page.more());
            after = keyOfLast(page);
        } while (more.get(more.size() - 1));
        assertEquals(pages, keysetPages);
        assertEquals(List.of(true, true, true, false), more);
    }

    /**
     * A walk by keyset sees each group that existed when it began exactly once, in the default order, while groups
     * are created between its pages (they come after the others).
     */
    @Test
    void aKeysetWalkSeesEveryGroupOnceWhileGroupsAreCreated() {
        TestTenant tenant = new TestTenant();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            existing.add(create(tenant, "walk-" + i, List.of()));
        }
        List<String> walked = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Keyset after = null;
        GroupPage page;
        int created = 0;
        do {
            page = query(tenant, new ResourceQuery(null, null, false, 1, 10, after), false);
            page.groups().forEach(entry -> walked.add(entry.group().id()));
            sizes.add(page.groups().size());
            after = keyOfLast(page);
            if (page.more()) {
                create(tenant, "new-" + created++, List.of());
            }
        } while (page.more());

        assertEquals(existing, walked.subList(0, existing.size()));
        assertEquals(walked.size(), Set.copyOf(walked).size(), "no group twice");
        assertEquals(List.of(10, 10, 7), sizes, "the 25, then the 2 created while walking");
    }

    private static Keyset keyOfLast(GroupPage page) {
        if (page.groups().isEmpty()) {
            return null;
        }
        var last = page.groups().get(page.groups().size() - 1).group();
        return new Keyset(last.created(), UUID.fromString(last.id()));
    }

    private static GroupPage page(TestTenant tenant, int startIndex, boolean members) {
        return query(tenant, new ResourceQuery(null, null, false, startIndex, 200, null), members);
    }

    private static GroupPage query(TestTenant tenant, ResourceQuery query, boolean members) {
        return ContractJson.read(given().contentType(ContentType.JSON).queryParam("members", members)
                .body(ContractJson.write(query))
                .post("/internal/v1/connections/{c}/groups/query", tenant.connectionId)
                .then().statusCode(200).extract().asByteArray(), GroupPage.class);
    }

    private String create(TestTenant tenant, String displayName, List<String> members) {
        CommandOutcome created = kafka.apply(GroupCommand.create(tenant.connectionId, displayName, null, members, null));
        assertEquals(CommandOutcome.Status.APPLIED, created.status(), () -> String.valueOf(created.failure()));
        return created.group().id();
    }
}
