package io.tpa.operation.apply;

import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupHealth;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Patroni runs on every node. The primaries start first (a new cluster bootstraps there, with
 * initdb); replicas start after, and clone from a running primary.
 */
final class PatroniStartPhase implements Phase {
    static final Duration BOOTSTRAP = Duration.ofSeconds(120);

    private final boolean primaries;

    private PatroniStartPhase(boolean primaries) {
        this.primaries = primaries;
    }

    static PatroniStartPhase primaries() {
        return new PatroniStartPhase(true);
    }

    static PatroniStartPhase replicas() {
        return new PatroniStartPhase(false);
    }

    @Override
    public String title() {
        return primaries ? "start primaries" : "start replicas";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        List<Action> actions = new ArrayList<>();
        java.util.Map<String, List<Start>> replicas = new java.util.LinkedHashMap<>();
        for (DeployedCluster cluster : state.context().deployment().clusters()) {
            List<DeployedNode> nodes = primaries ? List.of(cluster.primaryNode()) : cluster.replicas();
            for (DeployedNode node : nodes) {
                ServiceDefinition definition = definition(state, node);
                if (state.isRunning(node, definition.name()) && state.services(node).isDefinedAs(definition)) {
                    continue;
                }
                Host host = state.context().host(node);
                boolean initialized = host.exists(NodeLayout.of(state.context().deployment().baseDirectory(), node.name())
                        .dataDirectory() + "/PG_VERSION");
                boolean standby = primaries && !cluster.primaryCluster();
                boolean forked = primaries && !initialized && host.exists(NodeLayout.of(state.context().deployment().baseDirectory(),
                        node.name()).stagedDataDirectory());
                String description = "start Patroni" + (initialized ? "" : standby ? " (standby leader: clone from the primary cluster)"
                        : forked ? " (bootstrap from the forked data: promote on a new timeline)"
                        : primaries ? " (bootstrap a new cluster)" : " (clone from the primary)");
                if (!primaries) {
                    // Replicas start together, one supervisor call per host: they clone in parallel.
                    replicas.computeIfAbsent(host.name(), name -> new ArrayList<>()).add(new Start(node, definition, description));
                    continue;
                }
                actions.add(new Action(title(), node.name(), description, false, () -> {
                    if (standby) {
                        // A standby leader clones from the primary cluster: it starts once that cluster has a leader.
                        DeployedCluster primaryCluster = state.context().deployment().clusters().stream()
                                .filter(DeployedCluster::primaryCluster).findFirst().orElseThrow();
                        Wait.until("for the primary cluster " + primaryCluster.name() + " to have a running primary before "
                                + node.name() + " starts", BOOTSTRAP, () -> state.health().leader(primaryCluster).isPresent()
                                ? null : "cluster " + primaryCluster.name() + " has no leader yet");
                    }
                    state.etcdReadiness().awaitClusterVersion();
                    state.etcdReadiness().beforeStart(node);
                    state.services(node).apply(List.of(definition));
                    state.markStarted(node);
                    if (primaries) {
                        String log = NodeLayout.of(state.context().deployment().baseDirectory(), node.name()).logDirectory() + "/patroni.log";
                        Wait.until("for cluster " + cluster.name() + " to have a running primary", BOOTSTRAP,
                                () -> {
                                    if (state.health().leader(cluster).isPresent()) {
                                        return null;
                                    }
                                    if (state.etcdReadiness().restartIfStuck(node)) {
                                        return node.name() + "'s Patroni restarted: it had chosen etcd's API too early";
                                    }
                                    String last = lastLine(host, log);
                                    if (last.contains("PatroniFatalException")) {
                                        // Patroni gave up: say why now instead of waiting out the timeout.
                                        throw new io.tpa.error.UserError(io.tpa.error.UserError.FAILED, node.name() + ": Patroni could not "
                                                + "bootstrap the cluster (" + last + "); PostgreSQL said: " + lastPostgresError(host, node, state)
                                                + "; fix the config and run `tpa apply` again");
                                    }
                                    return last;
                                });
                        if (forked) {
                            archiveNewTimeline(state, node, host);
                        }
                    }
                }));
            }
        }
        for (List<Start> starts : replicas.values()) {
            String targets = String.join(",", starts.stream().map(start -> start.node().name()).toList());
            List<String> descriptions = starts.stream().map(Start::description).distinct().toList();
            actions.add(new Action(title(), targets, descriptions.size() == 1 ? descriptions.get(0) : "start Patroni", false, () -> {
                state.etcdReadiness().awaitClusterVersion();
                starts.forEach(start -> state.etcdReadiness().beforeStart(start.node()));
                state.services(starts.get(0).node()).apply(starts.stream().map(Start::definition).toList());
                starts.forEach(start -> state.markStarted(start.node()));
            }));
        }
        return actions;
    }

    /**
     * A primary bootstrapped from restored data (an in-place restore) is on a new timeline, branched off inside a WAL segment
     * whose older timeline's copy in the repository goes on past the branch point. Until the new timeline's copy of that
     * segment is archived too, a replica restored from a backup would replay the old timeline past the branch point and could
     * not follow the primary; {@code pgbackrest check} switches to a new segment and waits until it is archived (PostgreSQL
     * archives in order), so the replicas start after. A group whose repository has no stanza yet (a restore into a new
     * group) clones its replicas from the primary anyway.
     */
    private static void archiveNewTimeline(ApplyState state, DeployedNode node, Host host) {
        io.tpa.model.Deployment deployment = state.context().deployment();
        if (deployment.backup() == null) {
            return;
        }
        io.tpa.host.CommandResult checked = host.run(io.tpa.component.PgBackRest.command(host, deployment, node,
                state.context().secrets().get(io.tpa.model.Roles.SUPERUSER), Duration.ofMinutes(3), "check"));
        if (!checked.ok()) {
            state.note(node.name() + ": the new timeline's WAL did not reach the repository yet (" + checked.lastErrorLine().strip()
                    + "); replicas clone from the primary if restoring a backup cannot follow it");
        }
    }

    /** A replica to start, with the definition and the words for the plan. */
    private record Start(DeployedNode node, ServiceDefinition definition, String description) {
    }

    /** The last FATAL or ERROR line PostgreSQL logged on a node, or a pointer to its logs. */
    private static String lastPostgresError(Host host, DeployedNode node, ApplyState state) {
        String directory = NodeLayout.of(state.context().deployment().baseDirectory(), node.name()).logDirectory();
        // jsonlog lines ("error_severity":"FATAL"), and an older group's text logs.
        io.tpa.host.CommandResult found = host.run(io.tpa.host.Command.of("sh", "-c",
                "grep -hE 'FATAL|ERROR|PANIC' \"$1\"/postgresql-*.json \"$1\"/postgresql-*.log 2>/dev/null | tail -1",
                "tpa-last-error", directory));
        String line = found.stdout().strip();
        return line.isEmpty() ? "see " + directory : line;
    }

    /** The last line of a log, for a message that says what the service is stuck on. */
    private static String lastLine(Host host, String log) {
        String text = host.readFile(log).orElse("").strip();
        return text.isEmpty() ? "no output in " + log + " yet" : log + ": " + text.substring(text.lastIndexOf('\n') + 1);
    }

    private static ServiceDefinition definition(ApplyState state, DeployedNode node) {
        Host host = state.context().host(node);
        return Patroni.service(state.context().deployment(), node, host.serviceUser(),
                NodeLayout.of(state.context().deployment().baseDirectory(), node.name()).directory());
    }
}
