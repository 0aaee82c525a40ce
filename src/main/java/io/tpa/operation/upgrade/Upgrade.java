package io.tpa.operation.upgrade;

import io.tpa.component.Etcd;
import io.tpa.component.Patroni;
import io.tpa.component.PatroniApi;
import io.tpa.error.UserError;
import io.tpa.host.Host;
import io.tpa.host.PackageVersions;
import io.tpa.host.Packages;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.GroupContext;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.Promotion;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyState;
import io.tpa.operation.apply.Steps;
import io.tpa.wait.Wait;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A rolling minor upgrade: every host gets the newest versions of tpa's packages that its release's repositories
 * offer. In each cluster the replicas go first, one at a time, each streaming again before the next; then the
 * primary hands over to an upgraded replica (writes pause for that one switchover) and is upgraded last. A node's
 * services restart on the new packages only where a package of theirs changed: etcd (one member at a time), Patroni
 * (its main process: PostgreSQL keeps running) and PostgreSQL (through Patroni).
 */
public final class Upgrade {
    static final Duration SETTLE = Duration.ofSeconds(120);

    private Upgrade() {
    }

    /** One package that apt upgrades on a host. */
    public record PackageChange(String name, String from, String to) {
        @Override
        public String toString() {
            return name + " " + from + " -> " + to;
        }
    }

    /** A host, the nodes it runs, and what apt would upgrade there. */
    public record HostUpgrade(String host, List<String> nodes, List<PackageChange> changes) {
    }

    /** What an upgrade did, or would do: per host the package changes, and the steps in order. */
    public record Result(String group, List<HostUpgrade> hosts, List<String> steps, boolean dryRun, double seconds, String commit) {
        public boolean upToDate() {
            return hosts.stream().allMatch(host -> host.changes().isEmpty());
        }
    }

    public static Result run(Path directory, boolean dryRun, ApplyListener listener) {
        long start = System.nanoTime();
        java.util.function.Consumer<String> note = message -> listener.note(message, Duration.ofNanos(System.nanoTime() - start));
        GroupDirectory group = new GroupDirectory(directory);
        try (GroupLock ignored = dryRun ? null : group.lock("upgrade")) {
            GroupContext context = GroupContext.open(directory, false);
            Deployment deployment = context.deployment();
            if (context.previous().isEmpty()) {
                throw new UserError(directory + ": the group was never applied; run `tpa apply " + directory + "` first");
            }
            Map<Host, List<DeployedNode>> hosts = new LinkedHashMap<>();
            deployment.nodes().forEach(node -> hosts.computeIfAbsent(context.host(node), h -> new ArrayList<>()).add(node));
            List<Host> hostList = List.copyOf(hosts.keySet());
            List<HostUpgrade> upgrades = ApplyState.each(hostList, host -> {
                if (host.isRoot()) {
                    Packages.update(host, note);
                }
                List<String> packages = context.catalog().packages(hosts.get(host).get(0).release(), deployment.postgresVersion(),
                        deployment.extensions());
                List<PackageChange> changes = new ArrayList<>();
                PackageVersions.read(host, packages).forEach((name, versions) -> {
                    if (versions.upgradable()) {
                        changes.add(new PackageChange(name, versions.installed(), versions.candidate()));
                    }
                });
                return new HostUpgrade(host.name(), hosts.get(host).stream().map(DeployedNode::name).toList(), List.copyOf(changes));
            });
            Map<String, HostUpgrade> byHost = new LinkedHashMap<>();
            upgrades.forEach(upgrade -> byHost.put(upgrade.host(), upgrade));
            for (Host host : hostList) {
                if (!byHost.get(host.name()).changes().isEmpty() && !host.isRoot()) {
                    List<String> names = byHost.get(host.name()).changes().stream().map(PackageChange::name).toList();
                    throw new UserError(UserError.FAILED, host.name() + ": upgrading packages needs root; run `"
                            + Packages.installCommand(names) + "` there, or log in as root, and run `tpa upgrade` again");
                }
            }
            GroupHealth health = GroupHealth.read(deployment, context.http());
            List<List<Action>> steps = steps(context, health, byHost, note);
            List<String> descriptions = steps.stream().flatMap(List::stream).map(action -> action.target() + ": " + action.description()).toList();
            if (dryRun || steps.isEmpty()) {
                return new Result(deployment.group(), upgrades, descriptions, dryRun, seconds(start), null);
            }
            Steps.runInOrder(steps, listener);
            String commit = Apply.record(directory, "tpa upgrade: " + summary(upgrades));
            return new Result(deployment.group(), upgrades, descriptions, false, seconds(start), commit);
        }
    }

    /** The package changes in one line, with the nodes each host runs: for the history. */
    static String summary(List<HostUpgrade> upgrades) {
        Map<String, List<String>> nodesByChange = new LinkedHashMap<>();
        for (HostUpgrade upgrade : upgrades) {
            upgrade.changes().forEach(change -> nodesByChange.computeIfAbsent(change.toString(), c -> new ArrayList<>()).addAll(upgrade.nodes()));
        }
        return nodesByChange.entrySet().stream().map(e -> e.getKey() + " (" + String.join(",", e.getValue()) + ")")
                .collect(Collectors.joining("; "));
    }

    /** The steps, in order: per cluster its replicas one by one, a switchover, then the former primary. */
    private static List<List<Action>> steps(GroupContext context, GroupHealth health, Map<String, HostUpgrade> byHost,
                                            java.util.function.Consumer<String> note) {
        List<List<Action>> steps = new ArrayList<>();
        Set<String> upgradedHosts = new HashSet<>();
        for (DeployedCluster cluster : context.deployment().clusters()) {
            List<DeployedNode> changed = cluster.nodes().stream()
                    .filter(node -> !byHost.get(context.host(node).name()).changes().isEmpty()).toList();
            if (changed.isEmpty()) {
                continue;
            }
            DeployedNode leader = health.leader(cluster).orElseThrow(() -> new UserError(UserError.FAILED, "cluster " + cluster.name()
                    + " has no running primary; see `tpa status`, and upgrade once it has one"));
            String unhealthy = health.whyNotHealthy();
            if (unhealthy != null) {
                throw new UserError(UserError.FAILED, "the group is not healthy (" + unhealthy + "); run `tpa apply` and upgrade once it is");
            }
            List<DeployedNode> order = new ArrayList<>(cluster.replicas(leader));
            order.add(leader);
            for (DeployedNode node : order) {
                if (node.equals(leader) && cluster.nodes().size() > 1) {
                    steps.add(List.of(new Action("upgrade", cluster.name(), "switch over from " + leader.name()
                            + " to the healthiest upgraded replica", false, () -> handOver(context, cluster, leader))));
                }
                Host host = context.host(node);
                HostUpgrade upgrade = byHost.get(host.name());
                if (upgrade.changes().isEmpty()) {
                    continue;
                }
                if (upgradedHosts.add(host.name())) {
                    List<String> names = upgrade.changes().stream().map(PackageChange::name).toList();
                    steps.add(List.of(new Action("upgrade", host.name(), "upgrade " + upgrade.changes().stream().map(PackageChange::toString)
                            .collect(Collectors.joining(", ")), false, () -> Packages.install(host, names, note))));
                }
                steps.add(List.of(new Action("upgrade", node.name(), "restart " + String.join(", ", restarts(context, node, upgrade))
                        + " on the new packages, then wait until it streams", false, () -> restart(context, node, upgrade))));
            }
        }
        return steps;
    }

    /** Which of a node's services run a package that changed. */
    static List<String> restarts(GroupContext context, DeployedNode node, HostUpgrade upgrade) {
        Set<String> changed = upgrade.changes().stream().map(PackageChange::name).collect(Collectors.toSet());
        Map<String, io.tpa.model.Catalog.Component> components = context.catalog().distribution(node.release()).components();
        List<String> services = new ArrayList<>();
        if (node.etcdMember() && components.containsKey("etcd") && components.get("etcd").packages().stream().anyMatch(changed::contains)) {
            services.add("etcd");
        }
        if (components.containsKey("patroni") && components.get("patroni").packages().stream().anyMatch(changed::contains)) {
            services.add("Patroni");
        }
        List<String> postgres = new ArrayList<>(context.catalog().postgres(context.deployment().postgresVersion()).packages());
        if (postgres.stream().anyMatch(changed::contains) || changed.stream().anyMatch(name -> name.startsWith("postgresql-"))) {
            services.add("PostgreSQL");
        }
        return services.isEmpty() ? List.of("nothing") : services;
    }

    private static void restart(GroupContext context, DeployedNode node, HostUpgrade upgrade) {
        List<String> services = restarts(context, node, upgrade);
        PatroniApi patroni = new PatroniApi(node, context.http());
        if (services.contains("etcd")) {
            context.services(node).stop(Etcd.serviceName(node));
            context.services(node).start(Etcd.serviceName(node));
            Wait.until("for " + node.name() + "'s etcd member to be healthy again", SETTLE,
                    () -> Etcd.whyUnhealthy(node, context.http()));
        }
        if (services.contains("Patroni")) {
            context.services(node).kill(Patroni.serviceName(node));
            Wait.until("for " + node.name() + "'s Patroni to run again", SETTLE,
                    () -> patroni.status().isRunning() ? null : "PostgreSQL not running yet");
        }
        if (services.contains("PostgreSQL")) {
            patroni.restart();
            Wait.until("for " + node.name() + " to run again after its restart", SETTLE, () -> patroni.status().isRunning());
        }
        Wait.until("for every replica to stream again after " + node.name() + "'s upgrade", SETTLE,
                () -> GroupHealth.read(context.deployment(), context.http()).whyNotHealthy());
    }

    private static void handOver(GroupContext context, DeployedCluster cluster, DeployedNode leader) {
        GroupHealth health = GroupHealth.read(context.deployment(), context.http());
        DeployedNode target = Promotion.healthiest(cluster, leader, health);
        Promotion.handOver(context.deployment(), context.http(), cluster, leader, target, SETTLE);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
