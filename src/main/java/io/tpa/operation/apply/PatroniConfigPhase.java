package io.tpa.operation.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.component.PatroniApi;
import io.tpa.component.PgBackRest;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.component.Postgres;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.wait.Wait;
import java.time.Duration;
import io.tpa.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every node's Patroni configuration file is current. A running Patroni is told to reload it;
 * parameters PostgreSQL only takes at start are noted for the restart phase.
 */
final class PatroniConfigPhase implements Phase {
    @Override
    public String title() {
        return "patroni configuration";
    }

    /** After the etcd phase: the Patroni of each node whose new etcd hosts did not run before starts again with them. */
    static final class AfterEtcd implements Phase {
        @Override
        public String title() {
            return "patroni configuration";
        }

        @Override
        public List<Action> plan(ApplyState state) {
            return state.context().deployment().nodes().stream().filter(state::restartsPatroniAfterEtcd)
                    .map(node -> new Action(title(), node.name(), "start Patroni again (new etcd hosts, running now)", false,
                            () -> restartPatroni(state, node)))
                    .toList();
        }
    }

    @Override
    public List<Action> plan(ApplyState state) {
        List<String> clients = state.context().platform().clientAddresses();
        return ApplyState.each(state.context().deployment().nodes(), node -> {
            Host host = state.context().host(node);
            NodeLayout layout = NodeLayout.of(state.context().deployment().baseDirectory(), node.name());
            String path = layout.patroniConfig();
            // A node forked from another group (tpa fork) bootstraps from its staged data until that is in place.
            boolean fromStagedData = host.exists(layout.stagedDataDirectory()) && !host.exists(layout.dataDirectory() + "/PG_VERSION");
            // A node restored from a backup (tpa restore) replays the source's archive up to the restore's target.
            Map<String, String> stagedRecovery = fromStagedData ? PgBackRest.restoreSettings(host, layout).orElse(Map.of()) : Map.of();
            String wanted = Patroni.config(state.context().deployment(), node, state.context().secrets(),
                    clients, state.context().catalog(), fromStagedData, stagedRecovery);
            Optional<String> current = host.readFile(path);
            if (current.isPresent() && current.get().equals(wanted)) {
                return null;
            }
            boolean running = state.isRunning(node, Patroni.serviceName(node));
            String description = current.isEmpty() ? "write Patroni configuration" : "update Patroni configuration";
            boolean reload = running && current.isPresent();
            boolean postgresChanged = false;
            if (reload) {
                Map<String, String> changed = changedParameters(current.get(), wanted);
                postgresChanged = !changed.isEmpty() || !hba(current.get()).equals(hba(wanted));
                List<String> needRestart = changed.keySet().stream().filter(name -> state.settings().map(s -> s.needsRestart(name)).orElse(false)).toList();
                if (!needRestart.isEmpty()) {
                    state.needsRestart(node, String.join(", ", needRestart));
                }
                description += " and reload" + (changed.isEmpty() ? "" : " (" + String.join(", ", changed.keySet()) + ")");
            }
            boolean waitForPostgres = postgresChanged;
            // Patroni reads its etcd hosts only when it starts: a new list needs a new Patroni (PostgreSQL keeps running).
            boolean otherEtcdHosts = reload && !etcdHosts(current.get()).equals(etcdHosts(wanted));
            // New hosts none of which runs etcd yet (a group growing from one etcd member to three): Patroni, started again
            // now, would find no etcd and exit, so it starts again only after the etcd phase has started them.
            boolean afterEtcd = otherEtcdHosts && noneRunsEtcdYet(state, wanted);
            if (afterEtcd) {
                state.restartPatroniAfterEtcd(node);
            }
            boolean newEtcdHosts = otherEtcdHosts && !afterEtcd;
            String said = afterEtcd ? description + " (new etcd hosts: Patroni starts again once they run)"
                    : newEtcdHosts ? description.replace(" and reload", " and start Patroni again (new etcd hosts)") : description;
            return new Action(title(), node.name(), said, false, () -> {
                host.writeFile(path, wanted, FileOwner.privateTo(host.serviceUser()));
                if (newEtcdHosts) {
                    restartPatroni(state, node);
                }
                if (reload) {
                    reload(state, node, host, waitForPostgres);
                }
            });
        });
    }

    /**
     * Has Patroni re-read its file; when PostgreSQL's settings changed, waits until PostgreSQL has
     * loaded them (its configuration load time moves), so apply never ends before they apply.
     */
    private static void reload(ApplyState state, DeployedNode node, Host host, boolean waitForPostgres) {
        String password = state.context().secrets().get(Roles.SUPERUSER);
        String sql = "SELECT pg_conf_load_time()";
        List<String> before = waitForPostgres ? Postgres.query(host, state.context().deployment(), node, password, sql) : List.of();
        state.patroni(node).reload();
        if (waitForPostgres) {
            Wait.until("for " + node.name() + " to load its new settings", Duration.ofSeconds(30),
                    () -> !Postgres.query(host, state.context().deployment(), node, password, sql).equals(before));
        }
    }

    /** True when no etcd host this configuration names is a member of the etcd cluster that runs now (the last record's). */
    private static boolean noneRunsEtcdYet(ApplyState state, String config) {
        List<String> running = state.context().previous().map(previous -> previous.etcdMembers().stream()
                .map(member -> member.address() + ":" + Deployment.ETCD_CLIENT_PORT).toList()).orElse(List.of());
        try {
            for (JsonNode host : Json.YAML.readTree(config).path("etcd3").path("hosts")) {
                if (running.contains(host.asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts a node's Patroni again, leaving its PostgreSQL running, and waits until it answers as before. */
    static void restartPatroni(ApplyState state, DeployedNode node) {
        String service = Patroni.serviceName(node);
        state.services(node).kill(service);
        Wait.until("for " + node.name() + "'s Patroni to run again", Duration.ofSeconds(60), () -> {
            try {
                return state.patroni(node).status().isRunning() ? null : "PostgreSQL not running yet";
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
    }

    private static String etcdHosts(String config) {
        try {
            return Json.YAML.readTree(config).path("etcd3").path("hosts").toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String hba(String config) {
        try {
            return Json.YAML.readTree(config).path("postgresql").path("pg_hba").toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** Parameters whose value differs between two Patroni configuration files, with their new value. */
    static Map<String, String> changedParameters(String before, String after) {
        Map<String, String> old = parameters(before);
        Map<String, String> now = parameters(after);
        Map<String, String> changed = new TreeMap<>();
        now.forEach((name, value) -> {
            if (!value.equals(old.get(name))) {
                changed.put(name, value);
            }
        });
        old.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> changed.put(name, "(default)"));
        return changed;
    }

    private static Map<String, String> parameters(String config) {
        try {
            Map<String, String> parameters = new TreeMap<>();
            JsonNode tree = Json.YAML.readTree(config).path("postgresql").path("parameters");
            tree.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
            return parameters;
        } catch (IOException e) {
            return Map.of();
        }
    }
}
