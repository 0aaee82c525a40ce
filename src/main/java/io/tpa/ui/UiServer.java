package io.tpa.ui;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseHandler;
import io.tpa.error.UserError;
import io.tpa.security.CertificateAuthority;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * tpa ui: a local web UI over a workspace of group directories. It binds to a loopback address unless told
 * otherwise; another address needs {@code allowRemote} and a TLS certificate and key (from a CA of the user's).
 * Every page and action goes through the operations the CLI uses.
 */
public final class UiServer implements AutoCloseable {
    /**
     * What to serve and where.
     *
     * @param workspace   the folder of group directories
     * @param host        the address to listen on
     * @param port        the port (0: any free one)
     * @param allowRemote true to allow an address that is not loopback (then TLS is required)
     * @param tlsCertificate the server's certificate chain (PEM), or null for plain HTTP on loopback
     * @param tlsKey      its private key (PKCS#8 PEM)
     */
    public record Settings(Path workspace, String host, int port, boolean allowRemote, Path tlsCertificate, Path tlsKey) {
    }

    private final Javalin app;
    private final Jobs jobs;
    private final Access access;
    private final String url;

    private UiServer(Javalin app, Jobs jobs, Access access, String url) {
        this.app = app;
        this.jobs = jobs;
        this.access = access;
        this.url = url;
    }

    /** Checks the settings, starts the server and returns it; {@link #url} is the address to open, token included. */
    public static UiServer start(Settings settings) {
        Workspace workspace = new Workspace(settings.workspace());
        InetAddress address = address(settings.host());
        boolean tls = settings.tlsCertificate() != null || settings.tlsKey() != null;
        if (tls && (settings.tlsCertificate() == null || settings.tlsKey() == null)) {
            throw new UserError("--tls-cert and --tls-key go together: pass both (the server's certificate from your CA, and its key)");
        }
        if (!address.isLoopbackAddress()) {
            if (!settings.allowRemote()) {
                throw new UserError("--listen " + settings.host() + ": not a loopback address; the UI administers databases, so serving it "
                        + "to the network needs --allow-remote with --tls-cert and --tls-key");
            }
            if (!tls) {
                throw new UserError("--allow-remote needs TLS: pass --tls-cert FILE and --tls-key FILE (a certificate for this host from your CA)");
            }
        }
        SslContextFactory.Server ssl = tls ? sslContext(settings.tlsCertificate(), settings.tlsKey()) : null;
        Jobs jobs = new Jobs();
        int port = settings.port() == 0 ? freePort(address) : settings.port();
        Access access = new Access(port, tls);
        GroupPages pages = new GroupPages(workspace, access);
        ActionPages actions = new ActionPages(workspace, access, jobs);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.enableWebjars();
            config.jetty.addConnector((server, httpConfiguration) -> {
                ServerConnector connector = ssl == null ? new ServerConnector(server) : new ServerConnector(server, ssl);
                connector.setHost(address.getHostAddress());
                connector.setPort(port);
                return connector;
            });
            config.router.mount(router -> {
                router.before(context -> {
                    context.header("Cache-Control", "no-store");
                    context.header("Referrer-Policy", "same-origin");
                    context.header("X-Frame-Options", "DENY");
                    context.header("X-Content-Type-Options", "nosniff");
                    context.header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                            + "frame-ancestors 'none'; form-action 'self'");
                    access.check(context);
                });
                router.get("/", pages::workspace);
                router.get("/new", actions::newGroupForm);
                router.post("/new", actions::createGroup);
                router.get("/groups/{group}", pages::group);
                router.get("/groups/{group}/topology", pages::topology);
                router.get("/groups/{group}/nodes/{node}", pages::node);
                router.get("/groups/{group}/config", pages::config);
                router.get("/groups/{group}/cost", pages::cost);
                router.get("/groups/{group}/switchover", actions::switchoverForm);
                router.post("/groups/{group}/switchover", actions::switchover);
                router.get("/groups/{group}/replica-add", actions::replicaAddForm);
                router.post("/groups/{group}/replica-add", actions::replicaAdd);
                router.get("/groups/{group}/resize", actions::resizeForm);
                router.post("/groups/{group}/resize", actions::resize);
                router.get("/groups/{group}/destroy", actions::destroyForm);
                router.post("/groups/{group}/destroy", actions::destroy);
                router.get("/jobs/{id}", actions::job);
                router.get("/jobs/{id}/events", new SseHandler(actions::jobEvents));
                router.get("/ui.js", context -> context.contentType("text/javascript; charset=utf-8").result(script()));
            });
        });
        app.exception(UserError.class, (error, context) -> context.status(error.exitCode() == UserError.BAD_INPUT ? 400 : 500)
                .html(Html.page("Error", Html.error(error.getMessage()))));
        app.exception(HttpResponseException.class, (error, context) -> context.status(error.getStatus()).contentType("text/plain")
                .result(error.getMessage()));
        app.start();
        String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return new UiServer(app, jobs, access, (tls ? "https://" : "http://") + host + ":" + port + "/?token=" + access.token());
    }

    /** The URL to open: with the access token, which the first visit trades for a session cookie. */
    public String url() {
        return url;
    }

    /** Waits until the server stops. */
    public void join() throws InterruptedException {
        app.jettyServer().server().join();
    }

    @Override
    public void close() {
        jobs.close();
        app.stop();
    }

    /** The page script (ui.js, a resource): follows a job's events. */
    private static byte[] script() {
        try (java.io.InputStream in = UiServer.class.getResourceAsStream("/ui/ui.js")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UserError("--listen " + host + ": not an address of this machine; pass ADDRESS:PORT, for example 127.0.0.1:8780");
        }
    }

    private static int freePort(InetAddress address) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, "cannot find a free port on " + address.getHostAddress() + ": " + e.getMessage());
        }
    }

    private static SslContextFactory.Server sslContext(Path certificateFile, Path keyFile) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Certificate[] chain = factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificateFile))).toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new UserError("--tls-cert " + certificateFile + ": no PEM certificate in it; pass the server's certificate (and its chain)");
            }
            java.security.PrivateKey key;
            try {
                key = CertificateAuthority.parsePrivateKey(Files.readString(keyFile, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new UserError("--tls-key " + keyFile + ": not a PEM private key (" + e.getMessage() + "); pass the key of --tls-cert");
            }
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tpa-ui", key, password, chain);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(store);
            ssl.setKeyStorePassword("");
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            return ssl;
        } catch (IOException e) {
            throw new UserError("--tls-cert/--tls-key: cannot read " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new UserError("--tls-cert " + certificateFile + ": not a PEM certificate with a matching key (" + e.getMessage() + ")");
        }
    }
}
