package io.tpa.component;

import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.host.HostException;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a server of its own needs beyond the packages: the kernel settings that matter to
 * PostgreSQL, a firewall over the group's ports, a synchronized clock and a UTF-8 locale. Only on
 * servers tpa was given (the ssh platform); the local platform's machine is the user's own.
 *
 * <p>Each part is applied only where the server permits: a read-only {@code /proc/sys} (a
 * container), a server without nftables, or a clock tpa cannot check are reported, not forced.
 */
public final class HostPreparation {
    public static final String SYSCTL_FILE = "/etc/sysctl.d/60-tpa-postgres.conf";
    static final String NFTABLES_DIRECTORY = "/etc/nftables.d";
    static final String NFTABLES_CONF = "/etc/nftables.conf";
    private static final long HUGE_PAGE_MB = 2;
    /** From this shared_buffers on, PostgreSQL gets huge pages reserved (smaller ones gain little). */
    private static final long HUGE_PAGES_FROM_MB = 8 * 1024;
    /** A clock further off than this from tpa's is reported. */
    public static final double MAX_CLOCK_SKEW_SECONDS = 1.0;

    private HostPreparation() {
    }

    /** What tpa reads of a server in one command. */
    public record Facts(Map<String, String> kernel, Set<String> kernelWritable, boolean nftables, String firewallFile,
                        boolean firewallLoaded, String clockSynchronized, double clockSkewSeconds, boolean utf8Locale) {
    }

    /**
     * The kernel settings for a server that runs these nodes: no swapping unless memory runs out,
     * no overcommit (the OOM killer must not pick PostgreSQL; PostgreSQL's own docs recommend it for
     * a server of its own), writeback that starts early and small, and huge pages for a large
     * shared_buffers.
     */
    public static Map<String, String> kernelSettings(List<DeployedNode> nodes) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("vm.swappiness", "1");
        settings.put("vm.overcommit_memory", "2");
        settings.put("vm.overcommit_ratio", "90");
        settings.put("vm.dirty_background_bytes", Long.toString(64L * 1024 * 1024));
        settings.put("vm.dirty_bytes", Long.toString(512L * 1024 * 1024));
        // A TCP connection whose peer vanished (a server cut off or powered off, no reset) fails after a few seconds
        // instead of minutes, also one the program has closed already (the orphan retries). Patroni 3.0.2 watches etcd
        // over one long-lived connection and trusts what it last heard on it until the connection fails: with the
        // defaults, a replica watching a member that vanished missed the leader's departure for 31 s (measured on
        // test hosts; with these, 4 to 6 s).
        settings.put("net.ipv4.tcp_retries2", "5");
        settings.put("net.ipv4.tcp_orphan_retries", "1");
        long sharedBuffersMb = nodes.stream().mapToLong(n -> megabytes(n.parameters().getOrDefault("shared_buffers", "0MB"))).sum();
        if (sharedBuffersMb >= HUGE_PAGES_FROM_MB) {
            // shared_buffers plus about 10% for PostgreSQL's other shared memory.
            long wantedMb10 = sharedBuffersMb * 11; // tenths of a megabyte
            settings.put("vm.nr_hugepages", Long.toString((wantedMb10 + HUGE_PAGE_MB * 10 - 1) / (HUGE_PAGE_MB * 10)));
        }
        return settings;
    }

    /** A PostgreSQL memory setting in megabytes, rounded up: kB, MB, GB or TB, and a bare number in 8 kB pages as PostgreSQL reads it. */
    static long megabytes(String value) {
        String text = value.trim();
        Map<String, Long> kilobytes = Map.of("kB", 1L, "MB", 1024L, "GB", 1024L * 1024, "TB", 1024L * 1024 * 1024);
        for (Map.Entry<String, Long> unit : kilobytes.entrySet()) {
            if (text.endsWith(unit.getKey())) {
                long kb = Long.parseLong(text.substring(0, text.length() - 2).trim()) * unit.getValue();
                return (kb + 1023) / 1024;
            }
        }
        return (Long.parseLong(text) * 8 + 1023) / 1024;
    }

    /** The settings of a server, but only the ones it lets tpa change (in a container, often only the network's). */
    public static Map<String, String> settable(Map<String, String> settings, Set<String> writable) {
        Map<String, String> settable = new TreeMap<>(settings);
        settable.keySet().retainAll(writable);
        return settable;
    }

    public static String sysctlFile(Map<String, String> settings) {
        StringBuilder text = new StringBuilder("# Written by tpa: kernel settings for PostgreSQL (see docs/own-servers.md).\n");
        settings.forEach((name, value) -> text.append(name).append(" = ").append(value).append('\n'));
        return text.toString();
    }

    /** Writes the settings where they survive a reboot and makes them current. */
    public static void applyKernelSettings(Host host, Map<String, String> settings) {
        host.writeFile(SYSCTL_FILE, sysctlFile(settings), FileOwner.readable(null));
        host.check(Command.of("sysctl", "-q", "-p", SYSCTL_FILE));
    }

    /** The nftables table of a group: one per group, so groups sharing a server never touch one another's rules. */
    public static String firewallTable(String groupKey) {
        return "tpa_" + groupKey.replaceAll("[^A-Za-z0-9_]", "_");
    }

    public static String firewallFile(String groupKey) {
        return NFTABLES_DIRECTORY + "/" + firewallTable(groupKey).replace('_', '-') + ".nft";
    }

    /**
     * The firewall of a node's server. tpa filters only the ports its services listen on, and leaves
     * every other port (SSH among them) as it was: on each port, the addresses that need it are
     * accepted and every other is dropped.
     *
     * <ul>
     *   <li>PostgreSQL (5432): the group's nodes, tpa's own address, and the application networks of {@code access};
     *   <li>Patroni's REST API (8008): the nodes and tpa;
     *   <li>etcd clients (2379), on etcd members: the nodes and tpa;
     *   <li>etcd peers (2380), on etcd members: the other members.
     * </ul>
     *
     * @param admins the addresses tpa connects from
     */
    public static String firewallRules(Deployment deployment, List<DeployedNode> nodesHere, List<String> admins) {
        return firewallRules(deployment, nodesHere, admins, List.of());
    }

    /**
     * The firewall of a node's server, with the ports of the group's endpoints (HAProxy, pgbouncer: see
     * docs/routing.md) filtered as PostgreSQL's is: the nodes, tpa and the application networks reach them.
     */
    public static String firewallRules(Deployment deployment, List<DeployedNode> nodesHere, List<String> admins, List<Integer> endpointPorts) {
        Set<String> nodes = deployment.nodes().stream().map(DeployedNode::address).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> inside = new LinkedHashSet<>(nodes);
        inside.addAll(admins);
        Set<String> members = deployment.etcdMembers().stream().map(DeployedNode::address).collect(Collectors.toCollection(LinkedHashSet::new));
        boolean etcdHere = nodesHere.stream().anyMatch(DeployedNode::etcdMember);
        List<String> rules = new ArrayList<>();
        rules.add("iif \"lo\" accept");
        List<Integer> databasePorts = new ArrayList<>(List.of(Deployment.POSTGRES_PORT));
        databasePorts.addAll(endpointPorts);
        for (int databasePort : databasePorts) {
            rules.addAll(port(databasePort, inside));
            if (deployment.access().open()) {
                rules.add("tcp dport " + databasePort + " accept");
            } else {
                for (String network : deployment.access().networks()) {
                    rules.add("tcp dport " + databasePort + " " + (network.contains(":") ? "ip6" : "ip") + " saddr " + network + " accept");
                }
            }
            rules.add("tcp dport " + databasePort + " drop");
        }
        rules.addAll(port(Deployment.PATRONI_PORT, inside));
        rules.add("tcp dport " + Deployment.PATRONI_PORT + " drop");
        if (etcdHere) {
            rules.addAll(port(Deployment.ETCD_CLIENT_PORT, inside));
            rules.add("tcp dport " + Deployment.ETCD_CLIENT_PORT + " drop");
            rules.addAll(port(Deployment.ETCD_PEER_PORT, members));
            rules.add("tcp dport " + Deployment.ETCD_PEER_PORT + " drop");
        }
        if (deployment.backup() != null && deployment.backup().repository().onServer()) {
            // The node's pgBackRest TLS server: the backup server alone reaches it.
            rules.addAll(port(BackupServer.PORT, Set.of(deployment.backup().repository().host())));
            rules.add("tcp dport " + BackupServer.PORT + " drop");
        }
        return table(deployment, "only the addresses that need them reach its ports", rules);
    }

    /** A firewall file of the group: one table of its own, its rules in one input chain, replacing what the table held. */
    static String table(Deployment deployment, String purpose, List<String> rules) {
        String table = firewallTable(deployment.key());
        String body = rules.stream().map(rule -> "\t\t" + rule + "\n").collect(Collectors.joining());
        // Declaring then deleting the table makes the file replace it whole, in one transaction, whether it existed or not.
        return "#!/usr/sbin/nft -f\n"
                + "# Written by tpa for group " + deployment.group() + ": " + purpose + ".\n"
                + "table inet " + table + "\n"
                + "delete table inet " + table + "\n"
                + "table inet " + table + " {\n"
                + "\tchain input {\n"
                + "\t\ttype filter hook input priority filter; policy accept;\n"
                + body
                + "\t}\n"
                + "}\n";
    }

    static List<String> port(int port, Set<String> sources) {
        List<String> ipv4 = sources.stream().filter(a -> !a.contains(":")).sorted().toList();
        List<String> ipv6 = sources.stream().filter(a -> a.contains(":")).sorted().toList();
        List<String> rules = new ArrayList<>();
        if (!ipv4.isEmpty()) {
            rules.add("tcp dport " + port + " ip saddr { " + String.join(", ", ipv4) + " } accept");
        }
        if (!ipv6.isEmpty()) {
            rules.add("tcp dport " + port + " ip6 saddr { " + String.join(", ", ipv6) + " } accept");
        }
        return rules;
    }

    /** Loads the group's rules now and where nftables loads them at boot ({@code /etc/nftables.conf} includes the directory). */
    public static void applyFirewall(Host host, String groupKey, String rules) {
        host.createDirectory(NFTABLES_DIRECTORY, FileOwner.sharedDirectory(null));
        host.writeFile(firewallFile(groupKey), rules, FileOwner.privateTo(null));
        String include = "include \"" + NFTABLES_DIRECTORY + "/*.nft\"";
        String conf = host.readFile(NFTABLES_CONF).orElse("#!/usr/sbin/nft -f\n\nflush ruleset\n");
        if (!conf.contains(include)) {
            host.writeFile(NFTABLES_CONF, conf + (conf.endsWith("\n") ? "" : "\n") + "# Added by tpa: the rules of its groups.\n" + include + "\n",
                    new FileOwner(null, "rwxr-xr-x"));
        }
        host.check(Command.of("nft", "-f", firewallFile(groupKey)));
        if (host.exists("/run/systemd/system")) {
            // Debian's nftables.service loads /etc/nftables.conf at boot, once enabled.
            host.check(Command.of("systemctl", "enable", "--quiet", "nftables.service"));
        }
    }

    /** Removes the group's rules from the server, now and at boot. */
    public static void removeFirewall(Host host, String groupKey) {
        host.run(Command.of("nft", "delete", "table", "inet", firewallTable(groupKey)));
        host.remove(firewallFile(groupKey));
    }

    /** Reads the facts in one command; the clock skew is measured against this machine's clock around it. */
    public static Facts facts(Host host, String groupKey, List<String> kernelKeys) {
        String script = String.join("\n",
                "for key in \"$@\"; do printf 'kernel %s=%s\\n' \"$key\" \"$(sysctl -n \"$key\" 2>/dev/null)\";",
                "  if [ -w \"/proc/sys/$(printf %s \"$key\" | tr . /)\" ]; then printf 'writable %s\\n' \"$key\"; fi; done",
                "if command -v nft >/dev/null 2>&1; then echo nftables=yes; else echo nftables=no; fi",
                "if nft list table inet " + firewallTable(groupKey) + " >/dev/null 2>&1; then echo firewall_loaded=yes; fi",
                "if [ -f " + firewallFile(groupKey) + " ]; then echo firewall_file=$(base64 -w0 " + firewallFile(groupKey) + "); fi",
                "if command -v timedatectl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then",
                "  echo clock_synchronized=$(timedatectl show -p NTPSynchronized --value 2>/dev/null || echo unknown)",
                "elif command -v chronyc >/dev/null 2>&1; then",
                "  if chronyc -n tracking 2>/dev/null | grep -q '^Leap status *: Normal'; then echo clock_synchronized=yes;"
                        + " else echo clock_synchronized=no; fi",
                "else echo clock_synchronized=unknown; fi",
                "if locale -a 2>/dev/null | grep -qix 'c.utf-\\?8'; then echo utf8_locale=yes; else echo utf8_locale=no; fi",
                "echo clock=$(date +%s.%N)");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "tpa-facts"));
        argv.addAll(kernelKeys);
        long before = System.currentTimeMillis();
        CommandResult result = host.run(new Command(argv, null, Map.of(), null, Duration.ofSeconds(30)));
        long after = System.currentTimeMillis();
        if (!result.ok()) {
            throw new HostException(host.name() + ": cannot read the host's facts: " + result.lastErrorLine());
        }
        Map<String, String> kernel = new LinkedHashMap<>();
        Set<String> writable = new java.util.TreeSet<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("writable ")) {
                writable.add(line.substring(9).trim());
            } else if (line.startsWith("kernel ")) {
                String[] pair = line.substring(7).split("=", 2);
                kernel.put(pair[0], pair.length > 1 ? pair[1].trim().replaceAll("\\s+", " ") : "");
            } else if (line.contains("=")) {
                String[] pair = line.split("=", 2);
                values.put(pair[0], pair[1].trim());
            }
        }
        double skew = 0;
        try {
            double remote = Double.parseDouble(values.getOrDefault("clock", "0"));
            double local = (before + after) / 2000.0;
            skew = Math.max(0, Math.abs(remote - local) - (after - before) / 2000.0);
        } catch (NumberFormatException e) {
            skew = 0;
        }
        return new Facts(kernel, writable, "yes".equals(values.get("nftables")),
                new String(java.util.Base64.getDecoder().decode(values.getOrDefault("firewall_file", "")),
                        java.nio.charset.StandardCharsets.UTF_8), "yes".equals(values.get("firewall_loaded")),
                values.getOrDefault("clock_synchronized", "unknown"), skew, "yes".equals(values.get("utf8_locale")));
    }
}
