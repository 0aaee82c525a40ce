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
            boolean synchronous = state.context().deployment().synchronous();
            if (configuration.path("synchronous_mode").asBoolean(false) != synchronous) {
                DeployedNode target = leader.get();
                actions.add(new Action(title(), cluster.name(), "set synchronous_mode " + synchronous, false,
                        () -> state.patroni(target).setSynchronousMode(synchronous)));
            }
            Map<String, Integer> timing = Patroni.Timing.of(state.context().deployment().failover()).settings();
            Map<String, Integer> timingChanges = new TreeMap<>();
            timing.forEach((name, value) -> {
                if (configuration.path(name).asInt(-1) != value) {
                    timingChanges.put(name, value);
                }
            });
            if (!timingChanges.isEmpty()) {
                DeployedNode target = leader.get();
                actions.add(new Action(title(), cluster.name(), "set failover " + state.context().deployment().failover() + " ("
                        + timingChanges.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
                        + ")", false, () -> state.patroni(target).setDynamicSettings(timingChanges)));
            }
            JsonNode current = configuration.path("postgresql").path("parameters");
            Map<String, String> changes = new TreeMap<>();
            cluster.parameters().forEach((name, value) -> {
                if (!current.path(name).asText().equals(value)) {
                    changes.put(name, value);
                }
            });
            if (changes.isEmpty()) {
                continue;
            }
            changes.keySet().stream().filter(name -> state.settings().map(s -> s.needsRestart(name)).orElse(false)).findAny().ifPresent(name ->
                    cluster.nodes().forEach(node -> state.needsRestart(node, String.join(", ", changes.keySet()))));
            DeployedNode target = leader.get();
            actions.add(new Action(title(), cluster.name(), "set " + String.join(", ", changes.keySet()), false,
                    () -> state.patroni(target).setDynamicParameters(changes)));
        }
        return actions;
    }
}
