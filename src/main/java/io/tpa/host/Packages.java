package io.tpa.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OS packages on a Debian host: which are missing, and installing them with apt. */
public final class Packages {
    private Packages() {
    }

    public static List<String> missing(Host host, List<String> packages) {
        List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\\n"));
        argv.addAll(packages);
        CommandResult result = host.run(new Command(argv, null, Map.of(), null, Duration.ofSeconds(30)));
        List<String> installed = result.stdout().lines()
                .filter(line -> line.endsWith(" installed"))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .toList();
        return packages.stream().filter(p -> !installed.contains(p)).toList();
    }

    /** The command a user without root runs to install what is missing. */
    public static String installCommand(List<String> packages) {
        return "sudo apt-get install -y --no-install-recommends " + String.join(" ", packages);
    }

    /**
     * Installs packages as root without letting their scripts start services (tpa starts its own)
     * or create PostgreSQL's default cluster.
     */
    public static void install(Host host, List<String> packages) {
        String policy = "/usr/sbin/policy-rc.d";
        boolean hadPolicy = host.exists(policy);
        host.createDirectory("/etc/postgresql-common", FileOwner.sharedDirectory(null));
        String createCluster = "/etc/postgresql-common/createcluster.conf";
        if (!host.readFile(createCluster).map(c -> c.contains("create_main_cluster = false")).orElse(false)) {
            String existing = host.readFile(createCluster).orElse("");
            host.writeFile(createCluster, existing + "\n# tpa: packages must not create or start a default cluster\ncreate_main_cluster = false\n",
                    FileOwner.readable(null));
        }
        if (!hadPolicy) {
            host.writeFile(policy, "#!/bin/sh\n# tpa: no service starts during package installation\nexit 101\n",
                    new FileOwner(null, "rwxr-xr-x"));
        }
        try {
            Map<String, String> environment = Map.of("DEBIAN_FRONTEND", "noninteractive");
            CommandResult update = host.run(new Command(List.of("apt-get", "update", "-qq"), null, environment, null, Duration.ofMinutes(5)));
            if (!update.ok()) {
                throw new HostException(host.name() + ": apt-get update failed: " + update.lastErrorLine());
            }
            List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
            argv.addAll(packages);
            host.check(new Command(argv, null, environment, null, Duration.ofMinutes(15)));
        } finally {
            if (!hadPolicy) {
                host.remove(policy);
            }
        }
    }
}
