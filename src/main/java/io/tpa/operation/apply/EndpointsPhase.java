package io.tpa.operation.apply;

import io.tpa.component.Haproxy;
import io.tpa.component.Pgbouncer;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.EndpointsSpec;
import io.tpa.model.Roles;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * With {@code endpoints:}, every node runs pgbouncer and HAProxy with current configurations: a new one starts, a
 * changed configuration is reloaded (pgbouncer on SIGHUP, HAProxy's master on SIGUSR2: no client connection is
 * dropped), an unchanged one is left alone. Without it, a node that still runs them has them stopped and removed.
 */
final class EndpointsPhase implements Phase {
    static final Duration READY = Duration.ofSeconds(60);

    /** Whether this apply planned changes: only then does it wait for the endpoints to answer. */
    private boolean changing;

    @Override
    public String title() {
        return "endpoints";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        EndpointsSpec endpoints = state.context().spec().endpoints();
        Deployment deployment = state.context().deployment();
        List<List<Action>> perNode = ApplyState.each(deployment.nodes(), node -> endpoints == null ? removal(state, node)
                : configuration(state, node, endpoints));
        List<Action> actions = perNode.stream().flatMap(List::stream).toList();
        changing = !actions.isEmpty();
        return actions;
    }

    /** The node's pgbouncer, then its HAProxy, as the config wants them. */
    private List<Action> configuration(ApplyState state, DeployedNode node, EndpointsSpec endpoints) {
        Deployment deployment = state.context().deployment();
        Host host = state.context().host(node);
        String user = host.serviceUser();
        List<Action> actions = new ArrayList<>();
        String password = state.context().secrets().get(Pgbouncer.LOOKUP_ROLE);

        List<File> pgbouncerFiles = List.of(
                new File(Pgbouncer.configFile(deployment, node), Pgbouncer.config(deployment, node, endpoints), FileOwner.privateTo(user)),
                new File(Pgbouncer.authFile(deployment, node), Pgbouncer.authFileContent(password == null ? "" : password),
                        FileOwner.privateTo(user)));
        service(state, node, host, "pgbouncer", Pgbouncer.directory(deployment, node), pgbouncerFiles,
                Pgbouncer.service(deployment, node, user), "HUP", () -> { }).ifPresent(actions::add);
        List<File> haproxyFiles = List.of(
                new File(Haproxy.configFile(deployment, node), Haproxy.config(deployment, node, endpoints), FileOwner.privateTo(user)));
        service(state, node, host, "HAProxy", Haproxy.directory(deployment, node), haproxyFiles,
                Haproxy.service(deployment, node, user), "USR2",
                () -> host.check(Haproxy.saveState(deployment, node).as(user))).ifPresent(actions::add);
        return actions;
    }

    private record File(String path, String content, FileOwner owner) {
        boolean current(Host host) {
            return host.readFile(path).map(content::equals).orElse(false);
        }
    }

    /**
     * One service of a node: its files written where they differ, then started (new or changed definition), reloaded
     * with {@code reloadSignal} (changed files only), or nothing.
     */
    private Optional<Action> service(ApplyState state, DeployedNode node, Host host, String what, String directory, List<File> files,
                                     ServiceDefinition definition, String reloadSignal, Runnable beforeReload) {
        List<File> changed = files.stream().filter(file -> !file.current(host)).toList();
        boolean running = state.isRunning(node, definition.name());
        boolean defined = running && state.services(node).isDefinedAs(definition);
        if (changed.isEmpty() && defined) {
            return Optional.empty();
        }
        String description;
        if (!running) {
            description = (changed.isEmpty() ? "" : "write " + what + " configuration and ") + "start " + what;
        } else if (!defined) {
            description = (changed.isEmpty() ? "" : "update " + what + " configuration and ") + "restart " + what + " (new service definition)";
        } else {
            description = "update " + what + " configuration and reload (" + reloadSignal + ", open connections stay)";
        }
        boolean reload = running && defined;
        return Optional.of(new Action(title(), node.name(), description, false, () -> {
            host.createDirectory(directory, FileOwner.directory(host.serviceUser()));
            for (File file : changed) {
                host.writeFile(file.path(), file.content(), file.owner());
            }
            if (reload) {
                beforeReload.run();
                state.services(node).signal(definition.name(), reloadSignal);
            } else {
                state.services(node).apply(List.of(definition));
            }
        }));
    }

    /** Without endpoints: the node's pgbouncer and HAProxy stopped, forgotten and their files removed. */
    private List<Action> removal(ApplyState state, DeployedNode node) {
        Deployment deployment = state.context().deployment();
        Host host = state.context().host(node);
        List<String> present = new ArrayList<>();
        if (state.serviceState(node, Pgbouncer.serviceName(node)) != null || host.exists(Pgbouncer.directory(deployment, node))) {
            present.add("pgbouncer");
        }
        if (state.serviceState(node, Haproxy.serviceName(node)) != null || host.exists(Haproxy.directory(deployment, node))) {
            present.add("HAProxy");
        }
        if (present.isEmpty()) {
            return List.of();
        }
        return List.of(new Action(title(), node.name(), "stop and remove " + String.join(" and ", present) + " (no endpoints in the config)",
                false, () -> {
                    state.services(node).remove(Haproxy.serviceName(node));
                    state.services(node).remove(Pgbouncer.serviceName(node));
                    host.remove(Haproxy.directory(deployment, node));
                    host.remove(Pgbouncer.directory(deployment, node));
                }));
    }

    /** Apply ends once every node's pgbouncer lets a client through and its HAProxy reaches the primary and a reader. */
    @Override
    public void settle(ApplyState state) {
        if (state.context().spec().endpoints() == null || !changing) {
            return;
        }
        Deployment deployment = state.context().deployment();
        String password = state.context().secrets().get(Roles.MONITOR);
        Wait.until("for every node's pgbouncer and HAProxy to answer", READY, () -> {
            List<String> problems = ApplyState.each(deployment.nodes(), node -> {
                Host host = state.context().host(node);
                String why = Pgbouncer.whyUnhealthy(host, deployment, node, password);
                return why != null ? why : Haproxy.whyUnhealthy(host, deployment, node, password);
            });
            return problems.isEmpty() ? null : String.join("; ", problems);
        });
    }
}
