package io.tpa.operation.apply;

import io.tpa.component.Postgres;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Roles;
import io.tpa.operation.GroupHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The config's extensions exist in the primary cluster's postgres database (replicas follow through WAL). */
final class ExtensionsPhase implements Phase {
    @Override
    public String title() {
        return "extensions";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        List<String> wanted = state.context().deployment().extensions().stream().filter(state.context().catalog()::created).toList();
        if (wanted.isEmpty()) {
            return List.of();
        }
        DeployedCluster cluster = state.context().deployment().clusters().get(0);
        Optional<DeployedNode> primary = state.health().leader(cluster);
        String password = state.context().secrets().get(Roles.SUPERUSER);
        List<String> missing = primary
                .map(node -> {
                    List<String> present = Postgres.query(state.context().host(node), state.context().deployment(), node, password,
                            "SELECT extname FROM pg_extension");
                    return wanted.stream().filter(e -> !present.contains(e)).toList();
                })
                .orElse(wanted);
        if (missing.isEmpty()) {
            return List.of();
        }
        return List.of(new Action(title(), cluster.name(), "create extension " + String.join(", ", missing), false, () -> {
            DeployedNode node = state.health().leader(cluster).orElseThrow(
                    () -> new IllegalStateException("cluster " + cluster.name() + " has no primary to create extensions on"));
            for (String extension : missing) {
                Postgres.query(state.context().host(node), state.context().deployment(), node, password,
                        "CREATE EXTENSION IF NOT EXISTS " + Postgres.quoteIdentifier(extension));
            }
        }));
    }
}
