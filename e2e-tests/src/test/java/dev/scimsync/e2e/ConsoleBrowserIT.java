package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.SCIM;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.stack.LocalStack;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An organization admin in a real browser (Debian's Chromium, headless, through Debian's chromedriver):
 * signs in, creates an organization and a connection, generates a SCIM token, watches the IdP's user and
 * groups arrive, finds the badly named group among the provisioning errors, and revokes the token.
 * Screenshots go to {@code target/console-screenshots}; the documentation's are copied from there.
 */
class ConsoleBrowserIT {

    private static final List<String> BROWSERS = List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium");
    private static final String DRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static ChromeDriver browser;
    private static String console;

    @BeforeAll
    static void startBrowser() throws IOException {
        String binary = BROWSERS.stream().filter(path -> new File(path).canExecute()).findFirst().orElse(null);
        boolean present = binary != null && new File(DRIVER).canExecute();
        String install = "Chromium is needed for the console's browser test: apt-get install chromium chromium-driver";
        if (Boolean.getBoolean("console.browser.required")) {
            assertTrue(present, install);
        }
        Assumptions.assumeTrue(present, install);
        ChromeOptions options = new ChromeOptions().setBinary(binary)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
        console = SharedStack.endpoints().adminBaseUrl().replace("/admin/v1", "/console");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdminSetsUpScimWatchesProvisioningArriveFixesWhatFailedAndRevokesTheToken() throws Exception {
        LocalStack.Endpoints endpoints = SharedStack.endpoints();
        String org = "console-" + UUID.randomUUID().toString().substring(0, 6);
        String connection = org + "-okta";

        // Signing in: the admin token goes into a form once; what the browser keeps is a session cookie.
        browser.get(console + "/connections");
        assertTrue(browser.getCurrentUrl().endsWith("/console/sign-in"), browser.getCurrentUrl());
        screenshot("sign-in");
        browser.findElement(By.id("token")).sendKeys(endpoints.adminToken());
        submit(browser.findElement(By.id("token")));
        heading("Connections");
        Cookie session = browser.manage().getCookieNamed("scimsync_console");
        assertTrue(session.isHttpOnly());
        assertFalse(session.getValue().contains(endpoints.adminToken()));
        assertFalse(browser.getCurrentUrl().contains(endpoints.adminToken()));

        // An organization with seats, and a connection with SCIM on.
        browser.findElement(By.id("org-name")).sendKeys(org);
        browser.findElement(By.id("org-seats")).sendKeys("25");
        submit(browser.findElement(By.id("org-seats")));
        notice("Organization " + org + " created.");
        browser.findElement(By.id("conn-name")).sendKeys(connection);
        new Select(browser.findElement(By.id("conn-default-org"))).selectByVisibleText(org);
        browser.findElement(By.id("conn-team")).sendKeys("everyone");
        browser.findElement(By.name("scimEnabled")).click();
        submit(browser.findElement(By.id("conn-team")));
        heading("Connection " + connection);
        notice("Connection " + connection + " created.");

        // The token is shown once, on the page that generated it.
        click("Generate SCIM token");
        String token = browser.findElement(By.id("new-token")).getAttribute("value");
        assertTrue(token.startsWith("scim_"), token);
        assertFalse(browser.getCurrentUrl().contains(token));
        String scimBaseUrl = browser.findElement(By.id("scim-url")).getAttribute("value");
        assertEquals(endpoints.scimBaseUrl(), scimBaseUrl);
        screenshot("connection-token");

        // The IdP provisions a user and two groups: one named organization:team, one that names no team.
        String email = "ada.lovelace@" + org + ".test";
        String userId = given().baseUri(scimBaseUrl).header("Authorization", "Bearer " + token).contentType(SCIM)
                .body("{\"schemas\":[\"" + CORE_USER + "\"],\"userName\":\"" + email + "\",\"name\":{\"givenName\":"
                        + "\"Ada\",\"familyName\":\"Lovelace\"},\"emails\":[{\"value\":\"" + email + "\",\"primary\":true}]}")
                .post("/Users").then().statusCode(201).extract().path("id");
        for (String group : List.of(org + ":developers", "Engineering (All)")) {
            given().baseUri(scimBaseUrl).header("Authorization", "Bearer " + token).contentType(SCIM)
                    .body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"" + group
                            + "\",\"members\":[{\"value\":\"" + userId + "\"}]}")
                    .post("/Groups").then().statusCode(201);
        }

        // The member, found by name.
        browser.get(console + "/organizations/" + org + "/members");
        browser.findElement(By.id("q")).sendKeys("lovelace");
        submit(browser.findElement(By.id("q")));
        WebElement row = browser.findElement(By.linkText(email));
        assertTrue(browser.getPageSource().contains("Ada Lovelace"));
        assertTrue(browser.findElement(By.cssSelector("[role=status]")).getText().startsWith("1 member"));
        screenshot("members");
        row.click();
        heading(email);
        // The member's history comes from the audit log, which records the create after the 201.
        awaitText("user.create");

        // Groups: one fills a team by its name, the other is kept but unmapped.
        browser.get(console + "/connections/" + connection + "/groups");
        String groups = browser.findElement(By.tagName("table")).getText();
        assertTrue(groups.contains(org + ":developers") && groups.contains("name"), groups);
        assertTrue(groups.contains("Engineering (All)") && groups.contains("unmapped"), groups);
        screenshot("groups");

        // The badly named group mapped explicitly, then back to its name.
        new Select(browser.findElement(By.id("map-group"))).selectByVisibleText("Engineering (All)");
        browser.findElement(By.id("map-team")).sendKeys("platform");
        new Select(browser.findElement(By.id("map-role"))).selectByVisibleText("editor");
        submit(browser.findElement(By.id("map-team")));
        notice("Group Engineering (All) now fills " + org + ":platform.");
        assertTrue(browser.findElement(By.tagName("table")).getText().contains("explicit"));
        browser.findElement(By.cssSelector("button[aria-label='Remove the explicit mapping of Engineering (All)']"))
                .click();
        notice("maps by its name again");
        assertFalse(browser.findElement(By.tagName("table")).getText().contains("explicit"));
        browser.get(console + "/organizations/" + org + "/teams/developers");
        awaitText("group:" + org + ":developers");

        // Troubleshooting names the badly named group and says how to fix it.
        browser.get(console + "/connections/" + connection + "/troubleshooting");
        String errors = browser.findElement(By.tagName("section")).getText();
        assertTrue(errors.contains("Engineering (All)") && errors.contains("organization:team"), errors);
        screenshot("troubleshooting");
        click("Dry run");
        assertTrue(browser.findElement(By.cssSelector(".card[role=status]")).getText()
                .contains("Dry run: nothing changed"));

        // Activity: the create is on the chart, and the seats are counted.
        browser.get(console + "/connections/" + connection + "/activity");
        awaitText("1 created");
        assertFalse(browser.findElements(By.cssSelector("rect.s-created")).isEmpty());
        assertTrue(browser.getPageSource().contains("1 of 25 seats used"));
        screenshot("activity");

        // The audit log of the connection, its chain verified.
        browser.get(console + "/audit?connection=" + connection + "&verify=true");
        awaitText("is intact");
        screenshot("audit");

        // Downloads (fetched with the browser's session, as the browser would save them).
        String sessionCookie = browser.manage().getCookieNamed("scimsync_console").getValue();
        String auditCsv = given().cookie("scimsync_console", sessionCookie)
                .get(browser.findElement(By.linkText("Download CSV")).getAttribute("href")).then().statusCode(200)
                .extract().asString();
        assertTrue(auditCsv.startsWith("id,recordedAt,connectionId") && auditCsv.contains("user.create"), auditCsv);
        String ndjson = given().cookie("scimsync_console", sessionCookie)
                .get(browser.findElement(By.linkText("Download NDJSON")).getAttribute("href")).then().statusCode(200)
                .extract().asString();
        assertTrue(ndjson.lines().allMatch(line -> line.startsWith("{")) && ndjson.contains(email), ndjson);
        browser.get(console + "/organizations/" + org + "/members");
        String membersCsv = given().cookie("scimsync_console", sessionCookie)
                .get(browser.findElement(By.linkText("Export CSV")).getAttribute("href")).then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"" + org + "-members.csv\"")
                .extract().asString();
        assertTrue(membersCsv.contains(email + ",Ada Lovelace,member,active,scim,everyone,"), membersCsv);
        // Seats: the organization's page changes its limit.
        WebElement seatLimit = browser.findElement(By.id("seat-limit"));
        seatLimit.clear();
        seatLimit.sendKeys("30");
        click("Save seat limit");
        notice("Seat limit of " + org + " set to 30.");
        assertTrue(browser.getPageSource().contains("1 of 30 seats used"));

        // Dead letters: a command nothing can read is listed with its reason, and replayed from the console.
        String parkedKey = "console-dead-letter-" + UUID.randomUUID();
        DeadLettersIT.sendUnreadableCommand(parkedKey);
        browser.get(console + "/dead-letters?topic=scim.user.commands.dlq");
        awaitText(parkedKey);
        WebElement parkedRow = browser.findElement(By.xpath("//tr[td[normalize-space()='" + parkedKey + "']]"));
        assertTrue(parkedRow.getText().contains("not a readable user command"), parkedRow.getText());
        parkedRow.findElement(By.tagName("button")).click();
        browser.switchTo().alert().accept();
        notice("Replayed scim.user.commands.dlq/");
        screenshot("dead-letters");

        // Revoking: the IdP's next call with the token is refused.
        browser.get(console + "/connections/" + connection);
        browser.findElement(By.cssSelector("button[aria-label^='Revoke token']")).click();
        browser.switchTo().alert().accept();
        notice("revoked");
        given().baseUri(scimBaseUrl).header("Authorization", "Bearer " + token).get("/Users").then().statusCode(401);
        assertTrue(browser.findElement(By.tagName("table")).getText().contains("No tokens"));
    }

    private static void submit(WebElement field) {
        String before = browser.getCurrentUrl() + browser.getPageSource().hashCode();
        field.submit();
        waitUpTo(Duration.ofSeconds(20))
                .until(driver -> !before.equals(driver.getCurrentUrl() + driver.getPageSource().hashCode()));
    }

    private static void click(String buttonText) {
        submit(browser.findElement(By.xpath("//button[normalize-space()='" + buttonText + "']")));
    }

    private static void heading(String text) {
        waitUpTo(Duration.ofSeconds(20)).until(driver -> textOf("h1").equals(text));
    }

    private static void notice(String text) {
        waitUpTo(Duration.ofSeconds(20)).until(driver -> textOf(".notice").contains(text));
    }

    /**
     * The text of every element the selector matches, read in one script: finding an element and then reading it are
     * two calls, and a page replaced between them fails the second with an error that is not always a stale element
     * (Chrome: "Node with given id does not belong to the document").
     */
    private static String textOf(String cssSelector) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText).join('\\n');",
                cssSelector);
        return text == null ? "" : text.toString();
    }

    /** Provisioning is asynchronous behind the 201 only for derived views (teams, audit): reload until shown. */
    private static void awaitText(String text) {
        waitUpTo(Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(500)).until(driver -> {
            if (driver.getPageSource().contains(text)) {
                return true;
            }
            driver.navigate().refresh();
            return false;
        });
    }

    /**
     * A click that follows a link or posts a form replaces the page while a wait may be reading it: an element found
     * on the old page goes stale, which means "not yet", not a failure.
     */
    private static WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
