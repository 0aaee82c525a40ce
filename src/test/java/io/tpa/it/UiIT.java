package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import io.tpa.wait.Wait;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * tpa ui in a real browser: Debian's headless Chromium, driven by Selenium through the system chromedriver, against
 * `bin/tpa ui` serving a workspace on loopback. One two-node group lives through the scenario a user would: a bad
 * form, creation with live progress until healthy, a switchover that changes the topology and adds one version to
 * the history, the cost page against `tpa cost --json`, confirmations that show a plan, and destroy. Every page is
 * saved as a screenshot in target/ui-screenshots/.
 */
class UiIT {
    private static final Path SCREENSHOTS = Tpa.ROOT.resolve("target/ui-screenshots");
    private static final String GROUP = "uidemo";

    private Path workspace;
    private Path browserProfile;
    private Process ui;
    private ChromeDriver browser;
    private String url;
    private String base;
    private int screenshot;

    @BeforeEach
    void start() throws IOException {
        workspace = Files.createTempDirectory("tpa-ui-it-");
        browserProfile = Files.createTempDirectory("tpa-ui-chromium-");
        Files.createDirectories(SCREENSHOTS);
        ui = Tpa.start("ui", "--workspace", workspace.toString(), "--listen", "127.0.0.1:0");
        BufferedReader output = new BufferedReader(new InputStreamReader(ui.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.strip().startsWith("http://")) {
                        return line.strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        url = printed.completeOnTimeout(null, 60, TimeUnit.SECONDS).join();
        assertThat(url).as("the URL tpa ui prints").matches("http://127\\.0\\.0\\.1:\\d+/\\?token=.+");
        CompletableFuture.runAsync(() -> {
            try {
                output.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the UI stopped
            }
        });
        base = url.substring(0, url.indexOf("/?token="));
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                "--user-data-dir=" + browserProfile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // A click that submits a form returns before the next page is there: look for elements for a while.
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (ui != null) {
                ui.destroy();
                if (!waitFor(ui)) {
                    ui.destroyForcibly();
                }
            }
            delete(browserProfile);
            delete(workspace);
        }
    }

    @Test
    void aUserCreatesAGroupSwitchesItOverReadsItsHistoryAndCostAndDestroysIt() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("a request without the token").isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/new")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + GROUP + "&replicas=1")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("a changing request without the token").isEqualTo(401);

        browser.get(url);
        assertThat(browser.getCurrentUrl()).as("the token is traded for a cookie and leaves the address bar").isEqualTo(base + "/");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("No group directory here yet");
        save("workspace-empty");

        // A bad form: the message is the CLI's, word for word.
        browser.get(base + "/new");
        browser.findElement(By.id("name")).sendKeys("Bad_Name");
        browser.findElement(By.id("create")).click();
        Tpa.Result cli = Tpa.run("init", workspace.resolve("cli-check").toString(), "--name", "Bad_Name");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat("tpa: " + browser.findElement(By.cssSelector(".error")).getText()).isEqualTo(cli.stderr().strip());
        save("new-group-bad-name");

        try (TestGroup group = TestGroup.at(workspace.resolve(GROUP))) {
            // Create through the form and watch the progress until the group is healthy.
            WebElement name = browser.findElement(By.id("name"));
            name.clear();
            name.sendKeys(GROUP);
            WebElement replicas = browser.findElement(By.id("replicas"));
            replicas.clear();
            replicas.sendKeys("1");
            browser.findElement(By.id("create")).click();
            // The form posts and the server redirects; the click may return before the browser has followed it.
            Wait.until("the browser to follow the form's redirect to the job's page", Duration.ofSeconds(30), () -> {
                if (browser.getCurrentUrl().contains("/jobs/")) {
                    return true;
                }
                List<WebElement> errors = browser.findElements(By.cssSelector(".error"));
                if (!errors.isEmpty() && !errors.get(0).getText().contains("Bad_Name")) {
                    throw new AssertionError("the form was refused: " + errors.get(0).getText());
                }
                return false;
            });
            Wait.until("the first progress lines on the page", Duration.ofSeconds(60),
                    () -> browser.findElement(By.id("progress")).getText().lines().count() >= 3);
            save("create-group-progress");
            String outcome = finished();
            assertThat(outcome).contains("the group is healthy");
            assertThat(browser.findElement(By.id("progress")).getText()).contains("record");
            save("create-group-done");

            browser.get(base + "/groups/" + GROUP);
            Wait.until("the group page says healthy", Duration.ofSeconds(60),
                    () -> !browser.findElements(By.cssSelector("#topology [data-health=healthy]")).isEmpty());
            assertThat(roles()).isEqualTo(Map.of("pg1", "primary", "pg2", "replica"));
            assertThat(browser.findElements(By.cssSelector("#topology svg g.node"))).hasSize(2);
            save("group-topology");

            browser.get(base + "/");
            WebElement row = browser.findElement(By.cssSelector("tr[data-group=" + GROUP + "]"));
            assertThat(row.findElement(By.cssSelector("[data-health]")).getAttribute("data-health")).isEqualTo("healthy");
            assertThat(row.getText()).containsPattern("\\d+\\.\\d\\d USD");
            save("workspace");

            browser.get(base + "/groups/" + GROUP + "/nodes/pg2");
            assertThat(browser.findElement(By.cssSelector("[data-fact=role]")).getText()).isEqualTo("replica");
            assertThat(browser.findElement(By.cssSelector("[data-fact=state]")).getText()).isIn("running", "streaming");
            assertThat(browser.findElement(By.id("deployed")).getText()).contains("\"address\"").contains("shared_buffers");
            save("node");

            browser.get(base + "/groups/" + GROUP + "/config");
            int versionsBefore = browser.findElements(By.cssSelector("#history tr[data-version]")).size();
            assertThat(versionsBefore).isGreaterThanOrEqualTo(2);
            save("config-history");

            // Switch over: the confirmation shows the plan; the topology changes; the history grows by one version.
            // The group page stays open in a tab of its own: its topology must change without a reload.
            String actionsTab = browser.getWindowHandle();
            browser.switchTo().newWindow(WindowType.TAB);
            browser.get(base + "/groups/" + GROUP);
            String topologyTab = browser.getWindowHandle();
            assertThat(roles()).isEqualTo(Map.of("pg1", "primary", "pg2", "replica"));
            browser.switchTo().window(actionsTab);
            browser.get(base + "/groups/" + GROUP + "/switchover");
            assertThat(browser.findElement(By.id("plan")).getText()).contains("from pg1 to pg2");
            save("switchover-confirm");
            browser.findElement(By.id("confirm")).click();
            assertThat(finished()).contains("switched over from pg1 to pg2");
            save("switchover-done");
            browser.switchTo().window(topologyTab);
            Wait.until("the topology shows pg2 as the primary", Duration.ofSeconds(60),
                    () -> roles().equals(Map.of("pg1", "replica", "pg2", "primary")));
            Wait.until("pg1 streams from pg2", Duration.ofSeconds(60),
                    () -> !browser.findElements(By.cssSelector("#topology [data-health=healthy]")).isEmpty());
            save("group-after-switchover");
            browser.close();
            browser.switchTo().window(actionsTab);

            browser.get(base + "/groups/" + GROUP + "/config");
            List<WebElement> versions = browser.findElements(By.cssSelector("#history tr[data-version]"));
            assertThat(versions).hasSize(versionsBefore + 1);
            assertThat(versions.get(0).getText()).contains("switchover");
            versions.get(0).findElement(By.linkText("diff with previous")).click();
            String diff = browser.findElement(By.id("diff")).getText();
            assertThat(diff).contains("deployment.json").containsPattern("(?m)^-.*\"primary\" : \"pg1\"").containsPattern("(?m)^\\+.*\"primary\" : \"pg2\"");
            save("config-diff");

            // The cost page's totals are tpa cost's.
            browser.get(base + "/groups/" + GROUP + "/cost");
            JsonNode cost = Json.JSON.readTree(group.tpa("cost", "--json").stdout());
            Map<String, String> expected = new HashMap<>();
            cost.get("estimates").forEach(estimate -> expected.put(estimate.get("cloud").asText(), estimate.get("total").asText()));
            Map<String, String> shown = new HashMap<>();
            browser.findElements(By.cssSelector("table.cost")).forEach(table -> shown.put(table.getAttribute("data-cloud"),
                    table.findElement(By.cssSelector("[data-total]")).getText()));
            assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
            assertThat(shown).isEqualTo(expected);
            save("cost");

            // Add replica and resize show their plan and change nothing until confirmed.
            String config = Files.readString(group.directory.resolve("tpa.yml"));
            browser.get(base + "/groups/" + GROUP + "/replica-add");
            assertThat(browser.findElement(By.id("plan")).getText()).contains("pg3");
            assertThat(new java.math.BigDecimal(browser.findElement(By.cssSelector(".what-if[data-cloud=aws]")).getAttribute("data-difference")))
                    .as("a third node costs more").isPositive();
            save("replica-add-confirm");
            browser.get(base + "/groups/" + GROUP + "/resize?node=pg1&size=medium");
            assertThat(browser.findElement(By.tagName("main")).getText()).contains("Config change");
            assertThat(new java.math.BigDecimal(browser.findElement(By.cssSelector(".what-if[data-cloud=aws]")).getAttribute("data-difference")))
                    .as("a medium node costs more than a small one").isPositive();
            save("resize-confirm");
            assertThat(Files.readString(group.directory.resolve("tpa.yml"))).isEqualTo(config);

            // Destroy, behind its confirmation.
            browser.get(base + "/groups/" + GROUP + "/destroy");
            assertThat(browser.findElement(By.id("plan")).getText()).contains("data:");
            save("destroy-confirm");
            browser.findElement(By.id("confirm")).click();
            assertThat(finished()).startsWith("Destroyed group " + GROUP);
            save("destroy-done");
            browser.get(base + "/");
            assertThat(browser.findElement(By.cssSelector("tr[data-group=" + GROUP + "] [data-health]")).getAttribute("data-health"))
                    .isEqualTo("undeployed");
            assertThat(group.directory.resolve("deployment.json")).doesNotExist();
        }
    }

    /** Waits on a job page until the job ends; fails when it failed; returns its outcome line. */
    private String finished() {
        Wait.until("the job on the page ends", Duration.ofSeconds(240),
                () -> !browser.findElement(By.id("job")).getAttribute("data-state").equals("running"));
        WebElement job = browser.findElement(By.id("job"));
        assertThat(job.getAttribute("data-state")).as("job: %s\n%s", browser.findElement(By.id("outcome")).getText(),
                browser.findElement(By.id("progress")).getText()).isEqualTo("succeeded");
        return browser.findElement(By.id("outcome")).getText();
    }

    private Map<String, String> roles() {
        Map<String, String> roles = new HashMap<>();
        browser.findElements(By.cssSelector("#nodes tr[data-node]")).forEach(row -> roles.put(row.getAttribute("data-node"),
                row.getAttribute("data-role")));
        return roles;
    }

    private void save(String page) throws IOException {
        screenshot++;
        Path file = SCREENSHOTS.resolve(String.format("%02d-%s.png", screenshot, page));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void delete(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
