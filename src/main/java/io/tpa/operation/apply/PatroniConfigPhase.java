package io.tpa.operation.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.component.PatroniApi;
import io.tpa.component.PostgresSettings;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
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

    @Override
    public List<Action> plan(ApplyState state) {
        List<Action> actions = new ArrayList<>();
        for (DeployedNode node : state.context().deployment().nodes()) {
            Host host = state.context().host(node);
            String path = NodeLayout.of(state.context().deployment().baseDirectory(), node.name()).patroniConfig();
            String wanted = Patroni.config(state.context().deployment(), node, state.context().secrets(),
                    state.context().platform().clientAddresses(), state.context().catalog());
            Optional<String> current = host.readFile(path);
            if (current.isPresent() && current.get().equals(wanted)) {
                continue;
            }
            boolean running = state.isRunning(node, Patroni.serviceName(node));
            String description = current.isEmpty() ? "write Patroni configuration" : "update Patroni configuration";
            if (running && current.isPresent()) {
                Map<String, String> changed = changedParameters(current.get(), wanted);
                List<String> needRestart = changed.keySet().stream().filter(PostgresSettings::needsRestart).toList();
                if (!needRestart.isEmpty()) {
                    state.needsRestart(node, String.join(", ", needRestart));
                }
                description += changed.isEmpty() ? " and reload" : " and reload (" + String.join(", ", changed.keySet()) + ")";
            }
            boolean reload = running && current.isPresent();
            actions.add(new Action(title(), node.name(), description, false, () -> {
                host.writeFile(path, wanted, FileOwner.privateTo(host.serviceUser()));
                if (reload) {
                    state.patroni(node).reload();
                }
            }));
        }
        return actions;
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
