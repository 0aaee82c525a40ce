package io.tpa.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.security.CertificateAuthority;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI's access rules, seen by a plain HTTP client (no browser): token, session cookie, CSRF, loopback, TLS. */
class UiServerTest {
    @TempDir
    Path workspace;

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aRequestWithoutTheTokenIsRefusedAndTheTokenOpensASession() throws Exception {
        try (UiServer server = UiServer.start(new UiServer.Settings(workspace, "127.0.0.1", 0, false, null, null))) {
            String base = base(server);
            assertThat(server.url()).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{43}");
            assertThat(get(base + "/", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/groups/sales", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/?token=wrong", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/", "tpa_ui_session_" + port(base) + "=made-up").statusCode()).isEqualTo(401);

            HttpResponse<String> first = get(server.url(), null);
            assertThat(first.statusCode()).isEqualTo(302);
            String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(server.url().replaceAll(".*token=", ""));
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            HttpResponse<String> home = get(base + "/", cookie);
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("No group directory here yet");
            assertThat(home.headers().firstValue("Content-Security-Policy")).isPresent();
        }
    }

    @Test
    void aPostNeedsTheSessionAndItsCsrfTokenAndABadFormShowsTheCliMessage() throws Exception {
        try (UiServer server = UiServer.start(new UiServer.Settings(workspace, "127.0.0.1", 0, false, null, null))) {
            String base = base(server);
            String cookie = session(server);
            String csrf = csrf(get(base + "/new", cookie).body());

            assertThat(post(base + "/new", null, "csrf=" + csrf + "&name=sales&replicas=1").statusCode()).isEqualTo(401);
            assertThat(post(base + "/new", cookie, "name=sales&replicas=1").statusCode()).isEqualTo(403);
            assertThat(post(base + "/new", cookie, "csrf=wrong&name=sales&replicas=1").statusCode()).isEqualTo(403);
            HttpResponse<String> bad = post(base + "/new", cookie, "csrf=" + csrf + "&name=Bad_Name&replicas=1");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("--name &#39;Bad_Name&#39;: a group name starts with a lowercase letter");
            assertThat(Files.list(workspace)).isEmpty();
        }
    }

    @Test
    void anotherAddressNeedsAllowRemoteAndTls() {
        assertThatThrownBy(() -> UiServer.start(new UiServer.Settings(workspace, "192.0.2.10", 0, false, null, null)))
                .isInstanceOf(UserError.class).hasMessageContaining("not a loopback address").hasMessageContaining("--allow-remote");
        assertThatThrownBy(() -> UiServer.start(new UiServer.Settings(workspace, "192.0.2.10", 0, true, null, null)))
                .isInstanceOf(UserError.class).hasMessageContaining("--allow-remote needs TLS");
    }

    @Test
    void withACertificateFromTheUsersCaItServesHttps() throws Exception {
        CertificateAuthority authority = CertificateAuthority.create("ui-test");
        CertificateAuthority.Issued issued = authority.issue("127.0.0.1", List.of("127.0.0.1"), Duration.ofDays(1));
        Path certificate = Files.writeString(workspace.resolve("ui.crt"), issued.certificatePem());
        Path key = Files.writeString(workspace.resolve("ui.key"), issued.privateKeyPem());
        try (UiServer server = UiServer.start(new UiServer.Settings(workspace, "127.0.0.1", 0, false, certificate, key))) {
            assertThat(server.url()).startsWith("https://127.0.0.1:");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", authority.certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> first = https.send(HttpRequest.newBuilder(URI.create(server.url())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(302);
            assertThat(first.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure");
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base(server) + "/")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
        }
    }

    private String session(UiServer server) throws Exception {
        String setCookie = get(server.url(), null).headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String csrf(String page) {
        Matcher matcher = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(matcher.find()).as("a CSRF field in %s", page).isTrue();
        return matcher.group(1);
    }

    private static String base(UiServer server) {
        return server.url().substring(0, server.url().indexOf("/?token="));
    }

    private static String port(String base) {
        return base.substring(base.lastIndexOf(':') + 1);
    }

    private HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String cookie, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
