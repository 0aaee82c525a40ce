package io.tpa.operation.verify;

import io.tpa.component.ComponentException;
import io.tpa.component.NodeLayout;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.component.Postgres;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.host.HostException;
import io.tpa.host.Platform;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.EndpointsSpec;
import io.tpa.model.Roles;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The group the checks run against, read once at the start: its deployment record, what every node's Patroni
 * reports, and the settings of every node whose PostgreSQL runs.
 *
 * @param endpoints the config's {@code endpoints:}, or null without
 * @param settings  the settings read from each running node (a node that is not running, or could not be read, is absent)
 * @param problems  for each node that could not be read: why
 */
record TestedGroup(Path directory, GroupAccess access, Deployment deployment, GroupHealth health, Platform platform,
                   EndpointsSpec endpoints, Map<String, NodeSettings> settings, Map<String, String> problems) {

    static TestedGroup open(Path directory) {
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = access.deployment();
        GroupHealth health = access.health();
        Platform platform = access.platform();
        EndpointsSpec endpoints = access.directory().load().spec().endpoints();
        String password = access.secrets().get(Roles.SUPERUSER);
        Map<String, CompletableFuture<Object>> pending = new LinkedHashMap<>();
        for (DeployedNode node : deployment.nodes()) {
            pending.put(node.name(), CompletableFuture.supplyAsync(() -> {
                Optional<MemberStatus> member = health.member(node.name());
                if (member.isEmpty()) {
                    return "Patroni does not answer at " + node.address() + ":" + Deployment.PATRONI_PORT;
                }
                if (!member.get().isRunning()) {
                    return "PostgreSQL is " + member.get().state();
                }
                try {
                    return NodeSettings.parse(String.join("\n",
                            Postgres.query(platform.host(node.address()), deployment, node, password, NodeSettings.QUERY)));
                } catch (ComponentException | HostException e) {
                    return e.getMessage();
                } catch (RuntimeException e) {
                    return "could not read its settings: " + e;
                }
            }));
        }
        Map<String, NodeSettings> settings = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        pending.forEach((name, future) -> {
            Object outcome = future.join();
            if (outcome instanceof NodeSettings read) {
                settings.put(name, read);
            } else {
                problems.put(name, (String) outcome);
            }
        });
        return new TestedGroup(directory, access, deployment, health, platform, endpoints, settings, problems);
    }

    String superuserPassword() {
        return access.secrets().get(Roles.SUPERUSER);
    }

    Host host(DeployedNode node) {
        return platform.host(node.address());
    }

    /** Rows of a query run as the superuser on a node, in a database. */
    List<String> query(DeployedNode node, String database, String sql) {
        return Postgres.query(host(node), deployment, node, superuserPassword(), database, sql);
    }

    /**
     * Runs psql on a node's host, as the service user, over TCP to {@code conninfo} (a libpq connection string; never
     * a password, which goes in the environment when there is one; psql never prompts for one), and returns what it did.
     */
    CommandResult psqlOverTcp(DeployedNode node, String conninfo, String password, String sql) {
        List<String> argv = List.of(Catalog.load().postgres(deployment.postgresVersion()).binDir() + "/psql", "-X", "-w", "-q", "-A", "-t",
                "-d", conninfo + " connect_timeout=5", "-c", sql);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PGAPPNAME", "tpa test");
        if (password != null) {
            environment.put("PGPASSWORD", password);
        }
        Host host = host(node);
        return host.run(new Command(argv, host.serviceUser(), environment, null, Duration.ofSeconds(30)));
    }

    /** The CA certificate a node's services present their certificates with, on its host. */
    String caFile(DeployedNode node) {
        return NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory() + "/ca.crt";
    }

    /** primary, standby_leader or replica as Patroni reports the node; unknown when it does not answer. */
    String role(DeployedNode node) {
        return health.member(node.name()).map(m -> m.isPrimary() ? "primary" : m.isStandbyLeader() ? "standby_leader" : "replica")
                .orElse("unknown");
    }

    /** True when the node's Patroni reports its PostgreSQL running. */
    boolean running(DeployedNode node) {
        return health.member(node.name()).map(MemberStatus::isRunning).orElse(false);
    }

    /** running, or what the node is instead: its Patroni's state, or down when Patroni does not answer. */
    String state(DeployedNode node) {
        return health.member(node.name()).map(MemberStatus::state).orElse("down");
    }

    /** The writable primary of the group: the running leader of the primary cluster, when it is one. */
    Optional<DeployedNode> primary() {
        return deployment.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst()
                .flatMap(health::leader).filter(leader -> health.member(leader.name()).map(MemberStatus::isPrimary).orElse(false));
    }

    /** Runs something for every node at once and returns the results in node order. */
    <T> Map<DeployedNode, T> eachNode(List<DeployedNode> nodes, Function<DeployedNode, T> work) {
        // A thread per node: the common pool has one thread on a two-core machine, and some checks wait on each node.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, nodes.size()));
        try {
            Map<DeployedNode, CompletableFuture<T>> pending = new LinkedHashMap<>();
            nodes.forEach(node -> pending.put(node, CompletableFuture.supplyAsync(() -> work.apply(node), threads)));
            Map<DeployedNode, T> results = new LinkedHashMap<>();
            pending.forEach((node, future) -> results.put(node, future.join()));
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
