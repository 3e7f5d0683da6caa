package dev.scimsync.membership.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import dev.scimsync.contracts.query.UserPage;
import dev.scimsync.testsupport.InfrastructureTestResource;
import dev.scimsync.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: cursor paging (RFC 9865; the gateway's cursors are these keyset pages) walked over 100,000 users of one
 * connection on the real PostgreSQL, 200 a page as an IdP asks, while another client deletes and creates users of
 * the same connection between and during the pages, and the user each page ended with is sometimes deleted
 * before the next page is asked for. Every user present for the whole walk is seen exactly once, nobody is seen
 * twice, pages come in the default order without a gap, and every page but the last is full.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureTestResource.class)
class UserCursorWalkTest {

    private static final int USERS = 100_000;
    private static final int PAGE = 200;
    /** Users deleted, and created, by the other client while each page is read. */
    private static final int WRITES_PER_PAGE = 2;
    private static final Comparator<UserSnapshot> DEFAULT_ORDER = Comparator.comparing(UserSnapshot::created)
            .thenComparing(UserSnapshot::id);

    @Test
    void aWalkOfOneHundredThousandUsersSeesEachUserPresentThroughoutExactlyOnceWhileUsersComeAndGo()
            throws Exception {
        String connection = connection();
        seed(connection);
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        BlockingQueue<Integer> pagesRead = new ArrayBlockingQueue<>(4);
        CompletableFuture<Integer> creating = CompletableFuture.supplyAsync(() -> writeWhileWalking(connection,
                pagesRead, deleted));

        long started = System.nanoTime();
        Set<String> seen = new HashSet<>();
        List<UserSnapshot> walked = new ArrayList<>(USERS + 2_000);
        List<Integer> pageSizes = new ArrayList<>();
        Keyset after = null;
        boolean more = true;
        try (Connection sql = TestDatabase.connect()) {
            while (more) {
                UserPage page = query(connection, new ResourceQuery(null, null, false, 1, PAGE, after));
                pageSizes.add(page.users().size());
                for (UserSnapshot user : page.users()) {
                    assertTrue(seen.add(user.id()), "seen twice: " + user.profile().userName());
                    walked.add(user);
                }
                more = page.more();
                if (more) {
                    UserSnapshot last = page.users().get(page.users().size() - 1);
                    after = new Keyset(last.created(), UUID.fromString(last.id()));
                    if (pageSizes.size() % 25 == 0) {
                        // The key the next page starts after no longer exists.
                        delete(sql, connection, last.profile().userName(), deleted);
                    }
                }
                pagesRead.put(pageSizes.size());
            }
        } finally {
            pagesRead.put(-1);
        }
        int created = creating.get(1, TimeUnit.MINUTES);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        Set<String> presentThroughout = new HashSet<>();
        for (int i = 0; i < USERS; i++) {
            presentThroughout.add(seededUserName(i));
        }
        presentThroughout.removeAll(deleted);
        Set<String> seenNames = new HashSet<>();
        walked.forEach(user -> seenNames.add(user.profile().userName()));
        Set<String> missed = new HashSet<>(presentThroughout);
        missed.removeAll(seenNames);
        assertTrue(missed.isEmpty(), missed.size() + " users present for the whole walk were skipped, e.g. "
                + missed.stream().limit(5).toList());
        assertEquals(walked.stream().sorted(DEFAULT_ORDER).map(UserSnapshot::id).toList(),
                walked.stream().map(UserSnapshot::id).toList(), "pages follow one another in the default order");
        assertTrue(pageSizes.subList(0, pageSizes.size() - 1).stream().allMatch(size -> size == PAGE),
                "only the last page is short: " + pageSizes);
        long newSeen = seenNames.stream().filter(name -> name.startsWith("new-")).count();
        assertTrue(deleted.size() > 800 && created > 800 && newSeen > 0, "users came and went during the walk: "
                + deleted.size() + " deleted, " + created + " created, " + newSeen + " of them seen");
        System.out.printf("walked %d users in %d pages in %d s; meanwhile %d users deleted, %d created (%d seen)%n",
                walked.size(), pageSizes.size(), seconds, deleted.size(), created, newSeen);
    }

    /**
     * The 100,000 users in one set-based insert, created a day ago; ten at a time share a creation instant (the id
     * orders them).
     */
    private static void seed(String connection) throws Exception {
        try (Connection sql = TestDatabase.connect(); PreparedStatement insert = sql.prepareStatement("""
                insert into account (id, connection_id, user_name, external_id, active, attributes, version, created_at,
                                     updated_at, source)
                select md5(?::text || i)::uuid, ?::uuid, 'walk-' || i || '@cursor.test', 'ext-' || i, true,
                       jsonb_build_object('displayName', 'Walker ' || i), 1,
                       now() - interval '1 day' + (i / 10) * interval '1 millisecond',
                       now() - interval '1 day' + (i / 10) * interval '1 millisecond', 'scim'
                from generate_series(0, ? - 1) as i""")) {
            insert.setString(1, connection);
            insert.setString(2, connection);
            insert.setInt(3, USERS);
            assertEquals(USERS, insert.executeUpdate());
        }
    }

    private static String seededUserName(int i) {
        return "walk-" + i + "@cursor.test";
    }

    /**
     * The other client: while each page is read, deletes seeded users anywhere in the walk's order (behind the
     * walk, just ahead of it, far ahead) and creates new ones, as an IdP's sync does. Answers how many it created.
     */
    private static int writeWhileWalking(String connection, BlockingQueue<Integer> pagesRead, Set<String> deleted) {
        Random random = new Random(20);
        int created = 0;
        try (Connection sql = TestDatabase.connect(); PreparedStatement insert = sql.prepareStatement("""
                insert into account (id, connection_id, user_name, active, attributes, version, created_at, updated_at,
                                     source)
                values (?::uuid, ?::uuid, ?, true, '{}'::jsonb, 1, now(), now(), 'scim')""")) {
            int page;
            while ((page = pagesRead.take()) >= 0) {
                int reached = page * PAGE;
                for (int i = 0; i < WRITES_PER_PAGE; i++) {
                    int ahead = Math.min(USERS - 1, reached + random.nextInt(3 * PAGE));
                    int anywhere = random.nextInt(USERS);
                    delete(sql, connection, seededUserName(i == 0 ? ahead : anywhere), deleted);
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, connection);
                    insert.setString(3, "new-" + page + "-" + i + "@cursor.test");
                    insert.executeUpdate();
                    created++;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("the writer beside the walk failed", e);
        }
        return created;
    }

    private static void delete(Connection sql, String connection, String userName, Set<String> deleted)
            throws java.sql.SQLException {
        try (PreparedStatement delete = sql.prepareStatement(
                "delete from account where connection_id = ?::uuid and user_name = ?")) {
            delete.setString(1, connection);
            delete.setString(2, userName);
            if (delete.executeUpdate() == 1) {
                deleted.add(userName);
            }
        }
    }

    private static UserPage query(String connection, ResourceQuery query) {
        byte[] body = given().contentType(ContentType.JSON).body(ContractJson.write(query))
                .post("/internal/v1/connections/{c}/users/query", connection).then().statusCode(200)
                .extract().asByteArray();
        return ContractJson.read(body, UserPage.class);
    }

    /** A fresh organization and a SCIM connection of its own; the connection's id. */
    private static String connection() {
        String name = "cursor" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).basePath("/internal/v1/admin").body(Map.of("name", name))
                .post("/organizations").then().statusCode(201);
        return given().contentType(ContentType.JSON).basePath("/internal/v1/admin").body(Map.of("name", name + "-sso",
                        "organizations", List.of(name), "defaultOrganization", name, "defaultRole", "member",
                        "jitEnabled", false, "scimEnabled", true))
                .post("/connections").then().statusCode(201).extract().path("id");
    }

}
