package io.tpa.operation.apply;

import io.tpa.component.Exporters;
import io.tpa.component.NodeLayout;
import io.tpa.component.PrometheusConfig;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.MonitoringSpec;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.security.CertificateAuthority;
import io.tpa.wait.Wait;
import io.tpa.workspace.GroupDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * With {@code monitoring:}, every node runs postgres_exporter and node_exporter with current files, and the group
 * directory holds a current Prometheus configuration, target file and alert rules ({@link PrometheusConfig}). An
 * exporter starts when it does not run, and restarts when its definition, its password or its queries changed; the web
 * configuration (certificate, basic auth) and the certificate's expiry file are read on every request, so they only
 * need writing. Without {@code monitoring:}, the exporters and those files are removed.
 */
final class MonitoringPhase implements Phase {
    static final Duration READY = Duration.ofSeconds(60);

    /** Whether this apply planned changes on a node: only then does it wait for the exporters to answer. */
    private boolean changing;

    @Override
    public String title() {
        return "monitoring";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        MonitoringSpec monitoring = state.context().spec().monitoring();
        Deployment deployment = state.context().deployment();
        List<Action> actions = new ArrayList<>(ApplyState.each(deployment.nodes(), node -> monitoring == null ? removal(state, node)
                : exporters(state, node)).stream().filter(java.util.Objects::nonNull).toList());
        changing = monitoring != null && !actions.isEmpty();
        groupFiles(state, monitoring).ifPresent(actions::add);
        return actions;
    }

    /**
     * @param needsRestart a changed file needs postgres_exporter restarted
     * @param prometheus   a file of the monitoring node's Prometheus: changed, Prometheus reloads (SIGHUP)
     */
    private record File(String path, String content, FileOwner owner, boolean needsRestart, boolean prometheus) {
        File(String path, String content, FileOwner owner, boolean needsRestart) {
            this(path, content, owner, needsRestart, false);
        }

        boolean current(Host host) {
            return host.readFile(path).map(content::equals).orElse(false);
        }
    }

    /** The node's exporters as the config wants them, or null when they are. */
    private Action exporters(ApplyState state, DeployedNode node) {
        Deployment deployment = state.context().deployment();
        Host host = state.context().host(node);
        String user = host.serviceUser();
        String directory = Exporters.directory(deployment, node);
        String scrapePassword = state.context().secrets().get(SecretNames.SCRAPE_PASSWORD);
        String monitorPassword = state.context().secrets().get(Roles.MONITOR);
        String hash = Exporters.passwordHash(scrapePassword, host.readFile(Exporters.webConfigFile(deployment, node)));
        List<File> files = new ArrayList<>(List.of(
                new File(Exporters.webConfigFile(deployment, node), Exporters.webConfig(deployment, node, hash), FileOwner.privateTo(user), false),
                new File(Exporters.passwordFile(deployment, node), monitorPassword == null ? "" : monitorPassword, FileOwner.privateTo(user), true),
                new File(Exporters.queriesFile(deployment, node), Exporters.queries(), FileOwner.readable(user), true)));
        host.readFile(NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory() + "/server.crt").ifPresent(pem -> {
            Instant notAfter = CertificateAuthority.parseCertificate(pem).getNotAfter().toInstant();
            files.add(new File(Exporters.certificateFile(deployment, node), Exporters.certificateMetrics(notAfter), FileOwner.readable(user), false));
        });
        boolean server = node.name().equals(state.context().spec().monitoring().prometheus());
        String serverDirectory = PrometheusConfig.serverDirectory(deployment, node);
        if (server) {
            Map<String, String> copies = new LinkedHashMap<>();
            copies.put(PrometheusConfig.CONFIG_FILE, PrometheusConfig.config(state.context().spec().monitoring()));
            copies.put(PrometheusConfig.RULES_FILE, PrometheusConfig.rules());
            copies.put(PrometheusConfig.targetsFile(deployment), PrometheusConfig.targets(deployment));
            copies.forEach((name, content) -> files.add(new File(serverDirectory + "/" + name, content, FileOwner.readable(user), false, true)));
            files.add(new File(serverDirectory + "/" + PrometheusConfig.PASSWORD_FILE, scrapePassword, FileOwner.privateTo(user), false, false));
        }
        List<File> changed = files.stream().filter(file -> !file.current(host)).toList();
        boolean restartPostgres = changed.stream().anyMatch(File::needsRestart);
        Map<ServiceDefinition, String> services = new LinkedHashMap<>();
        Map<ServiceDefinition, String> names = new LinkedHashMap<>();
        names.put(Exporters.postgresService(deployment, node, user), "postgres_exporter");
        names.put(Exporters.nodeService(deployment, node, user), "node_exporter");
        if (server) {
            names.put(PrometheusConfig.serverService(deployment, node, user), "Prometheus");
        }
        for (ServiceDefinition definition : names.keySet()) {
            boolean running = state.isRunning(node, definition.name());
            boolean prometheus = definition.name().equals(PrometheusConfig.serverServiceName(node));
            if (!running) {
                services.put(definition, "start");
            } else if (!state.services(node).isDefinedAs(definition)
                    || (definition.name().equals(Exporters.postgresServiceName(node)) && restartPostgres)) {
                services.put(definition, "restart");
            } else if (prometheus && changed.stream().anyMatch(File::prometheus)) {
                services.put(definition, "reload");
            }
        }
        boolean formerServer = !server && (state.serviceState(node, PrometheusConfig.serverServiceName(node)) != null || host.exists(serverDirectory));
        if (changed.isEmpty() && services.isEmpty() && !formerServer) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (!changed.isEmpty()) {
            parts.add("write " + (server ? "exporter and Prometheus" : "exporter") + " configuration");
        }
        services.forEach((definition, verb) -> parts.add(verb + " " + names.get(definition)));
        if (formerServer) {
            parts.add("stop and remove Prometheus (not the monitoring node)");
        }
        return new Action(title(), node.name(), String.join(", ", parts), false, () -> {
            host.createDirectory(directory, FileOwner.directory(user));
            host.createDirectory(Exporters.textFileDirectory(deployment, node), FileOwner.directory(user));
            if (server) {
                host.createDirectory(serverDirectory, FileOwner.directory(user));
                host.createDirectory(serverDirectory + "/" + PrometheusConfig.TARGETS_DIRECTORY, FileOwner.directory(user));
            }
            for (File file : changed) {
                host.writeFile(file.path(), file.content(), file.owner());
            }
            for (Map.Entry<ServiceDefinition, String> service : services.entrySet()) {
                String name = service.getKey().name();
                if (service.getValue().equals("reload")) {
                    state.services(node).signal(name, "HUP");
                } else if (service.getValue().equals("restart") && state.services(node).isDefinedAs(service.getKey())) {
                    state.services(node).stop(name);
                    state.services(node).start(name);
                } else {
                    state.services(node).apply(List.of(service.getKey()));
                }
            }
            if (formerServer) {
                removePrometheus(state, node, host, deployment);
            }
        });
    }

    private static void removePrometheus(ApplyState state, DeployedNode node, Host host, Deployment deployment) {
        state.services(node).remove(PrometheusConfig.serverServiceName(node));
        host.remove(PrometheusConfig.serverDirectory(deployment, node));
    }

    /** Without monitoring: the node's exporters stopped, forgotten and their files removed; null when there are none. */
    private Action removal(ApplyState state, DeployedNode node) {
        Deployment deployment = state.context().deployment();
        Host host = state.context().host(node);
        boolean present = state.serviceState(node, Exporters.postgresServiceName(node)) != null
                || state.serviceState(node, Exporters.nodeServiceName(node)) != null || host.exists(Exporters.directory(deployment, node));
        boolean server = state.serviceState(node, PrometheusConfig.serverServiceName(node)) != null
                || host.exists(PrometheusConfig.serverDirectory(deployment, node));
        if (!present && !server) {
            return null;
        }
        return new Action(title(), node.name(), "stop and remove postgres_exporter and node_exporter" + (server ? " and Prometheus" : "")
                + " (no monitoring in the config)", false, () -> {
            removePrometheus(state, node, host, deployment);
            state.services(node).remove(Exporters.postgresServiceName(node));
            state.services(node).remove(Exporters.nodeServiceName(node));
            host.remove(Exporters.directory(deployment, node));
        });
    }

    /** The Prometheus configuration, target file and rules in the group directory, or their removal. */
    private java.util.Optional<Action> groupFiles(ApplyState state, MonitoringSpec monitoring) {
        GroupDirectory directory = state.context().directory();
        Deployment deployment = state.context().deployment();
        String prefix = PrometheusConfig.DIRECTORY + "/";
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put(prefix + PrometheusConfig.CONFIG_FILE, monitoring == null ? null : PrometheusConfig.config(monitoring));
        wanted.put(prefix + PrometheusConfig.RULES_FILE, monitoring == null ? null : PrometheusConfig.rules());
        wanted.put(prefix + PrometheusConfig.targetsFile(deployment), monitoring == null ? null : PrometheusConfig.targets(deployment));
        Map<String, String> changed = new LinkedHashMap<>();
        wanted.forEach((file, content) -> {
            String current = directory.readFile(file).orElse(null);
            if (!java.util.Objects.equals(current, content)) {
                changed.put(file, content);
            }
        });
        if (changed.isEmpty()) {
            return java.util.Optional.empty();
        }
        String description = monitoring == null ? "remove the Prometheus configuration, targets and alert rules from "
                + PrometheusConfig.DIRECTORY + "/ (no monitoring in the config)"
                : "write " + String.join(", ", changed.keySet());
        return java.util.Optional.of(new Action(title(), deployment.group(), description, false, () -> changed.forEach((file, content) -> {
            if (content == null) {
                directory.removeFile(file);
            } else {
                directory.writeFile(file, content);
            }
        })));
    }

    /** Apply ends once every node's exporters answer over TLS with basic auth, and postgres_exporter reaches PostgreSQL. */
    @Override
    public void settle(ApplyState state) {
        if (state.context().spec().monitoring() == null || !changing) {
            return;
        }
        Deployment deployment = state.context().deployment();
        String password = state.context().secrets().get(SecretNames.SCRAPE_PASSWORD);
        Wait.until("for every node's postgres_exporter and node_exporter (and Prometheus) to answer", READY, () -> {
            String prometheus = state.context().spec().monitoring().prometheus();
            List<String> problems = ApplyState.each(deployment.nodes(), node -> {
                Host host = state.context().host(node);
                String why = Exporters.whyUnhealthy(host, deployment, node, password);
                if (why == null && node.name().equals(prometheus)
                        && !Exporters.scrape(host, deployment, node, MonitoringSpec.PROMETHEUS_PORT, password).ok()) {
                    why = node.name() + ": Prometheus does not answer yet";
                }
                return why;
            });
            return problems.isEmpty() ? null : String.join("; ", problems);
        });
    }
}
