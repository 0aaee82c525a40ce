package io.tpa.operation.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.component.ComponentException;
import io.tpa.component.Patroni;
import io.tpa.component.PatroniApi;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters that must agree across a cluster are current in Patroni's dynamic configuration
 * (bootstrap writes them the first time; later changes are patched in).
 */
final class DynamicConfigurationPhase implements Phase {
    @Override
    public String title() {
        return "cluster parameters";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        List<Action> actions = new ArrayList<>();
        GroupHealth health = state.health();
        for (DeployedCluster cluster : state.context().deployment().clusters()) {
            Optional<DeployedNode> leader = health.leader(cluster);
            if (leader.isEmpty()) {
                continue; // not bootstrapped yet: the bootstrap configuration carries the parameters
            }
            JsonNode configuration;
            try {
                configuration = state.patroni(leader.get()).dynamicConfiguration();
            } catch (ComponentException e) {
                continue;
            }
            // Top-level settings go in one PUT of the whole configuration: two read-modify-write PUTs running at once
            // could each write back the other's old value.
            Map<String, Object> settings = new java.util.LinkedHashMap<>();
            List<String> described = new ArrayList<>();
            boolean synchronous = state.context().deployment().synchronous();
            if (configuration.path("synchronous_mode").asBoolean(false) != synchronous) {
                settings.put("synchronous_mode", synchronous);
                described.add("synchronous_mode " + synchronous);
            }
            Map<String, Object> timingChanges = new TreeMap<>();
            Patroni.dynamicSettings(state.context().deployment(), cluster, state.context().catalog()).forEach((name, value) -> {
                if (!configuration.path(name).asText().equals(String.valueOf(value))) {
                    settings.put(name, value);
                    if (Patroni.Timing.STANDARD.settings().containsKey(name)) {
                        timingChanges.put(name, value);
                    } else {
                        described.add(name + " " + value);
                    }
                }
            });
            if (!timingChanges.isEmpty()) {
                described.add("failover " + state.context().deployment().failover() + " ("
                        + timingChanges.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
                        + ")");
            }
            JsonNode current = configuration.path("postgresql").path("parameters");
            Map<String, String> changes = new TreeMap<>();
            cluster.parameters().forEach((name, value) -> {
                if (!current.path(name).asText().equals(value)) {
                    changes.put(name, value);
                }
            });
            if (!changes.isEmpty()) {
                changes.keySet().stream().filter(name -> state.settings().map(s -> s.needsRestart(name)).orElse(false)).findAny().ifPresent(name ->
                        cluster.nodes().forEach(node -> state.needsRestart(node, String.join(", ", changes.keySet()))));
                described.add(String.join(", ", changes.keySet()));
            }
            if (described.isEmpty()) {
                continue;
            }
            DeployedNode target = leader.get();
            // One action, one change after the other: each is a read-modify-write of the whole configuration.
            actions.add(new Action(title(), cluster.name(), "set " + String.join(", ", described), false, () -> {
                if (!settings.isEmpty()) {
                    state.patroni(target).setDynamicSettings(settings);
                }
                if (!changes.isEmpty()) {
                    state.patroni(target).setDynamicParameters(changes);
                }
            }));
        }
        return actions;
    }
}
