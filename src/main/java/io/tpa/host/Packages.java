package io.tpa.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** OS packages on a Debian host: which are missing, and installing them with apt. */
public final class Packages {
    /** How long an apt step waits for the dpkg/apt lock that another process holds (unattended-upgrades, a parallel run). */
    public static final Duration LOCK_WAIT = Duration.ofMinutes(5);
    private static final Duration LOCK_RETRY = Duration.ofSeconds(2);
    private static final Map<String, String> NONINTERACTIVE = Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C");

    private Packages() {
    }

    public static List<String> missing(Host host, List<String> packages) {
        Map<String, String> installed = installed(host, packages);
        return packages.stream().filter(p -> !installed.containsKey(p)).toList();
    }

    /** The installed version of each of these packages that is installed, by name. */
    public static Map<String, String> installed(Host host, List<String> packages) {
        List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package} ${db:Status-Status} ${Version}\\n"));
        argv.addAll(packages);
        CommandResult result = host.run(new Command(argv, null, Map.of(), null, Duration.ofSeconds(30)));
        Map<String, String> installed = new java.util.LinkedHashMap<>();
        result.stdout().lines().map(line -> line.split(" ")).filter(fields -> fields.length == 3 && fields[1].equals("installed"))
                .forEach(fields -> installed.put(fields[0], fields[2]));
        return installed;
    }

    /** The command a user without root runs to install what is missing. */
    public static String installCommand(List<String> packages) {
        return "sudo apt-get install -y --no-install-recommends " + String.join(" ", packages);
    }

    /**
     * Installs packages as root without letting their scripts start services (tpa starts its own)
     * or create PostgreSQL's default cluster. Waits for the dpkg/apt lock (see {@link #apt}).
     *
     * @param note told once when the host's lock was held and for how long it was waited for
     */
    public static void install(Host host, List<String> packages, Consumer<String> note) {
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
            update(host, note);
            List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
            argv.addAll(packages);
            CommandResult install = apt(host, argv, Duration.ofMinutes(15), note);
            if (!install.ok()) {
                throw new HostException(host.name() + ": apt-get install failed: " + install.lastErrorLine());
            }
        } finally {
            if (!hadPolicy) {
                host.remove(policy);
            }
        }
    }

    /** Refreshes the host's package lists ({@code apt-get update}), waiting for the lock like every apt step. */
    public static void update(Host host, Consumer<String> note) {
        CommandResult update = apt(host, List.of("apt-get", "update", "-qq"), Duration.ofMinutes(5), note);
        if (!update.ok()) {
            throw new HostException(host.name() + ": apt-get update failed: " + update.lastErrorLine());
        }
    }

    /**
     * Runs an apt command as root; while another process holds the dpkg or apt lock (unattended-upgrades on a
     * fresh server, a second tpa), tries again every 2 s for up to {@link #LOCK_WAIT}, then fails naming the lock.
     */
    static CommandResult apt(Host host, List<String> argv, Duration timeout, Consumer<String> note) {
        long start = System.nanoTime();
        long deadline = start + LOCK_WAIT.toNanos();
        while (true) {
            CommandResult result = host.run(new Command(argv, null, NONINTERACTIVE, null, timeout));
            if (result.ok() || !heldByAnother(result)) {
                long waited = (System.nanoTime() - start) / 1_000_000_000L;
                if (waited > 0 && result.ok()) {
                    note.accept(host.name() + ": waited " + waited + " s for the dpkg/apt lock another process held before `"
                            + String.join(" ", argv.subList(0, 2)) + "`");
                }
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new HostException(host.name() + ": `" + String.join(" ", argv.subList(0, 2)) + "` waited " + LOCK_WAIT.toMinutes()
                        + " min for the dpkg/apt lock and another process still holds it (" + result.lastErrorLine()
                        + "); let it finish (unattended-upgrades on a new server can take a while) and run again");
            }
            try {
                Thread.sleep(LOCK_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException(host.name() + ": interrupted while waiting for the dpkg/apt lock");
            }
        }
    }

    /** True when apt failed only because another process holds one of its locks. */
    static boolean heldByAnother(CommandResult result) {
        String errors = result.stderr() + result.stdout();
        return errors.contains("Could not get lock") || errors.contains("Unable to lock")
                || errors.contains("Unable to acquire the dpkg frontend lock");
    }
}
