package io.tpa.operation.apply;

import io.tpa.component.PostgresSettings;
import io.tpa.error.UserError;
import io.tpa.model.LoadedSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The config's PostgreSQL parameters exist, have values of the right type, and leave alone what
 * tpa manages. Changes nothing: bad input stops apply here, before anything else changes, instead
 * of PostgreSQL silently ignoring the value.
 */
final class ParametersPhase implements Phase {
    @Override
    public String title() {
        return "parameters";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        LoadedSpec loaded = state.context().loaded();
        Map<String, Object> parameters = state.context().spec().postgres().parameters();
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            String path = "postgres.parameters." + name;
            if (PostgresSettings.MANAGED.contains(name)) {
                throw new UserError(loaded.where(path) + ": " + path + ": tpa sets " + name + " itself (it keeps replication, TLS "
                        + "and the node layout working); remove it from the config");
            }
        }
        state.settings().ifPresent(settings -> {
            for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
                String name = parameter.getKey();
                String path = "postgres.parameters." + name;
                if (!name.contains(".") && !settings.knows(name)) {
                    String suggestion = settings.names().stream()
                            .min(Comparator.comparingInt(known -> distance(known, name)))
                            .filter(known -> distance(known, name) <= 3).map(known -> "; did you mean '" + known + "'?").orElse("");
                    throw new UserError(loaded.where(path) + ": " + path + ": PostgreSQL " + state.context().deployment().postgresVersion()
                            + " has no parameter '" + name + "'" + suggestion);
                }
                String problem = settings.whyInvalid(name, String.valueOf(parameter.getValue()));
                if (problem != null) {
                    throw new UserError(loaded.where(path) + ": " + path + ": " + problem);
                }
            }
        });
        return List.of();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
