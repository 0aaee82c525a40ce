package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.ConfigChange;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the commands that edit the config and apply it report: the change, then the plan or the outcome. */
final class ConfigChangeOutput {
    private ConfigChangeOutput() {
    }

    static void print(ConfigChange.Outcome outcome, boolean json) {
        if (outcome.plan() != null) {
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("change", outcome.change());
                out.put("plan", outcome.plan());
                System.out.print(Json.write(out));
                return;
            }
            System.out.println("Would change the config: " + outcome.change());
            PlanCommand.print(outcome.plan(), false);
            return;
        }
        if (json) {
            System.out.print(Json.write(Map.of("change", outcome.change(), "result", outcome.result())));
        } else {
            System.out.printf("%s: applied %d change%s in %.1f s; the group is healthy.%n", outcome.change(), outcome.result().changes().size(),
                    outcome.result().changes().size() == 1 ? "" : "s", outcome.result().seconds());
        }
    }
}
