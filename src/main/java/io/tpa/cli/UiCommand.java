package io.tpa.cli;

import io.tpa.error.UserError;
import io.tpa.ui.UiServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ui", mixinStandardHelpOptions = true, description = {
        "Serve a web UI over a workspace (a folder of group directories): groups with health and monthly cost, live topology, "
                + "nodes, config history and diffs, cost, and forms to create a group, switch over, add a replica, resize and destroy.",
        "Prints the URL to open, with an access token (kept in a cookie after the first visit). Loopback only unless "
                + "--allow-remote, which needs TLS. See docs/ui.md."})
final class UiCommand implements Callable<Integer> {
    @Option(names = "--workspace", paramLabel = "DIR", defaultValue = ".", description = "The folder of group directories (default: the current one).")
    Path workspace;

    @Option(names = "--listen", paramLabel = "ADDRESS:PORT", defaultValue = "127.0.0.1:8780",
            description = "Where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
    String listen;

    @Option(names = "--allow-remote", description = "Allow an --listen address that is not loopback (needs --tls-cert and --tls-key).")
    boolean allowRemote;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this certificate (PEM, from your CA; the chain may follow).")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The private key of --tls-cert (PKCS#8 PEM).")
    Path tlsKey;

    @Override
    public Integer call() throws InterruptedException {
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = colon < 1 ? -1 : Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new UserError("--listen " + listen + ": pass ADDRESS:PORT, for example 127.0.0.1:8780");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        UiServer server = UiServer.start(new UiServer.Settings(workspace, host, port, allowRemote, tlsCertificate, tlsKey));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tpa-ui-stop"));
        System.out.println("tpa ui serves " + workspace.toAbsolutePath().normalize() + ". Open this URL (it holds the access token):");
        System.out.println("    " + server.url());
        System.out.flush();
        server.join();
        return 0;
    }
}
