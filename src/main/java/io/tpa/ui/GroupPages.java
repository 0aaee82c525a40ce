package io.tpa.ui;

import io.javalin.http.Context;
import io.tpa.error.UserError;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.NodeSpec;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.cost.Amounts;
import io.tpa.operation.cost.ClusterCost;
import io.tpa.operation.cost.Cost;
import io.tpa.operation.cost.CostLine;
import io.tpa.operation.cost.CostReport;
import io.tpa.operation.cost.Estimate;
import io.tpa.operation.cost.NodeCost;
import io.tpa.operation.cost.WhatIf;
import io.tpa.operation.show.Show;
import io.tpa.operation.status.GroupStatus;
import io.tpa.operation.status.Status;
import io.tpa.workspace.GroupHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The pages that read: the workspace, a group, its topology, a node, the config and its history, the cost. */
final class GroupPages {
    private final Workspace workspace;
    private final Access access;

    GroupPages(Workspace workspace, Access access) {
        this.workspace = workspace;
        this.access = access;
    }

    /** Health of a group: a CSS class and a line (healthy, degraded: why, not deployed). */
    record Health(String state, String detail) {
        static Health of(Path directory) {
            try {
                String why = GroupAccess.open(directory).health().whyNotHealthy();
                return why == null ? new Health("healthy", "every replica streams from a running primary") : new Health("degraded", why);
            } catch (UserError error) {
                return new Health("undeployed", error.getMessage());
            } catch (RuntimeException error) {
                return new Health("down", String.valueOf(error.getMessage()));
            }
        }

        String badge() {
            return "<span class=\"badge " + state + "\" data-health=\"" + state + "\" title=\"" + Html.escape(detail) + "\">"
                    + (state.equals("undeployed") ? "not deployed" : state) + "</span>";
        }
    }

    void workspace(Context context) {
        StringBuilder body = new StringBuilder("<p class=\"note\">Workspace " + Html.escape(workspace.path()) + "</p>");
        List<String> groups = workspace.groups();
        if (groups.isEmpty()) {
            body.append("<p>No group directory here yet. ").append(Html.link("/new", "Create a group")).append(".</p>");
        } else {
            body.append("<table id=\"groups\"><tr><th>Group</th><th>Health</th><th>Nodes</th><th class=\"amount\">Monthly cost (AWS)</th></tr>");
            for (String group : groups) {
                Path directory = workspace.group(group);
                Health health = Health.of(directory);
                String nodes = "";
                String cost;
                try {
                    nodes = String.valueOf(Show.resolved(directory).allNodes().size());
                    Estimate estimate = Cost.run(directory, "aws", false).estimates().get(0);
                    cost = estimate.total().toPlainString() + " " + estimate.currency();
                } catch (UserError error) {
                    cost = error.getMessage();
                }
                body.append("<tr data-group=\"").append(Html.escape(group)).append("\"><td>").append(Html.link("/groups/" + group, group))
                        .append("</td><td>").append(health.badge()).append(" <span class=\"note\">").append(Html.escape(health.detail()))
                        .append("</span></td><td>").append(Html.escape(nodes)).append("</td><td class=\"amount\">").append(Html.escape(cost))
                        .append("</td></tr>");
            }
            body.append("</table>");
        }
        context.html(Html.page("Groups", body.toString()));
    }

    void group(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        StringBuilder body = new StringBuilder();
        body.append("<nav class=\"actions\">")
                .append(Html.link("/groups/" + group + "/config", "Config and history"))
                .append(Html.link("/groups/" + group + "/cost", "Cost"))
                .append(Html.link("/groups/" + group + "/switchover", "Switchover"))
                .append(Html.link("/groups/" + group + "/replica-add", "Add replica"))
                .append(Html.link("/groups/" + group + "/resize", "Resize"))
                .append(Html.link("/groups/" + group + "/destroy", "Destroy"))
                .append("</nav>");
        body.append("<h2>Topology</h2><p class=\"note\">Refreshed every 2 s from Patroni.</p>")
                .append("<div id=\"topology\" hx-get=\"/groups/").append(Html.escape(group)).append("/topology\" hx-trigger=\"every 2s\" ")
                .append("hx-swap=\"innerHTML\">").append(topologyFragment(group, directory)).append("</div>");
        context.html(Html.page("Group " + group, body.toString()));
    }

    void topology(Context context) {
        String group = context.pathParam("group");
        context.html(topologyFragment(group, workspace.group(group)));
    }

    private String topologyFragment(String group, Path directory) {
        Health health = Health.of(directory);
        StringBuilder out = new StringBuilder("<p>Health: ").append(health.badge()).append(" <span class=\"note\">")
                .append(Html.escape(health.detail())).append("</span></p>");
        if (health.state().equals("undeployed")) {
            return out.toString();
        }
        GroupStatus status;
        try {
            status = Status.live(directory);
        } catch (UserError error) {
            return out.append(Html.error(error.getMessage())).toString();
        }
        out.append(Topology.svg(group, status));
        out.append("<table id=\"nodes\"><tr><th>Cluster</th><th>Node</th><th>Role</th><th>State</th><th>Host</th><th>Timeline</th>"
                + "<th class=\"amount\">Lag</th></tr>");
        for (GroupStatus.ClusterStatus cluster : status.clusters()) {
            for (GroupStatus.NodeStatus node : cluster.nodes()) {
                out.append("<tr data-node=\"").append(Html.escape(node.name())).append("\" data-role=\"").append(Html.escape(node.role()))
                        .append("\"><td>").append(Html.escape(cluster.name())).append("</td><td>")
                        .append(Html.link("/groups/" + group + "/nodes/" + node.name(), node.name())).append("</td><td>")
                        .append(Html.escape(node.role())).append("</td><td>").append(Html.escape(node.state())).append("</td><td>")
                        .append(Html.escape(node.host() + ":" + node.port())).append("</td><td>")
                        .append(node.timeline() == null ? "-" : node.timeline()).append("</td><td class=\"amount\">")
                        .append(node.lagBytes() == null ? "-" : node.lagBytes() + " B").append("</td></tr>");
            }
        }
        status.warnings().forEach(warning -> out.append("<p class=\"note\">Warning: ").append(Html.escape(warning)).append("</p>"));
        return out.append("</table>").toString();
    }

    void node(Context context) {
        String group = context.pathParam("group");
        String name = context.pathParam("node");
        Path directory = workspace.group(group);
        Deployment deployment = GroupAccess.applied(directory);
        DeployedNode deployed = deployment.node(name).orElseThrow(() -> new io.javalin.http.NotFoundResponse("no node " + name + " in " + group));
        GroupStatus.NodeStatus live = Status.live(directory).clusters().stream().flatMap(cluster -> cluster.nodes().stream())
                .filter(node -> node.name().equals(name)).findFirst().orElse(null);
        StringBuilder body = new StringBuilder();
        List<List<String>> facts = new ArrayList<>();
        facts.add(List.of("Cluster", deployed.cluster()));
        facts.add(List.of("Role", live == null ? "-" : live.role()));
        facts.add(List.of("State", live == null ? "-" : live.state()));
        facts.add(List.of("Timeline", live == null || live.timeline() == null ? "-" : live.timeline().toString()));
        facts.add(List.of("Lag", live == null || live.lagBytes() == null ? "-" : live.lagBytes() + " B"));
        facts.add(List.of("Address", deployed.address()));
        facts.add(List.of("Size", deployed.size().describe()));
        facts.add(List.of("PostgreSQL", String.valueOf(deployment.postgresVersion())));
        facts.add(List.of("Release", String.valueOf(deployed.release())));
        body.append("<table id=\"node\">");
        facts.forEach(row -> body.append("<tr><th>").append(Html.escape(row.get(0))).append("</th><td data-fact=\"")
                .append(Html.escape(row.get(0).toLowerCase(Locale.ROOT))).append("\">").append(Html.escape(row.get(1))).append("</td></tr>"));
        body.append("</table>");
        if (deployed.packages() != null && !deployed.packages().isEmpty()) {
            body.append("<h2>Versions</h2>").append(Html.table(List.of("Package", "Version"),
                    deployed.packages().entrySet().stream().map(entry -> List.of(entry.getKey(), entry.getValue())).toList()));
        }
        body.append("<h2>Cost per month</h2>");
        List<List<String>> costs = new ArrayList<>();
        for (Estimate estimate : Cost.run(directory, null, false).estimates()) {
            for (ClusterCost cluster : estimate.clusters()) {
                for (NodeCost node : cluster.nodes()) {
                    if (node.name().equals(name)) {
                        List<String> row = new ArrayList<>(List.of(estimate.cloud(), node.instance()));
                        CostLine.COMPONENTS.forEach(component -> row.add(node.line(component).amount().toPlainString()));
                        row.add(node.total().toPlainString() + " " + estimate.currency());
                        costs.add(row);
                    }
                }
            }
        }
        List<String> header = new ArrayList<>(List.of("Cloud", "Instance"));
        header.addAll(CostLine.COMPONENTS);
        header.add("Total");
        body.append(Html.table(header, costs));
        Optional<NodeSpec> spec = Show.resolved(directory).allNodes().stream().filter(node -> node.name().equals(name)).findFirst();
        body.append("<h2>Resolved configuration</h2><p class=\"note\">The node in tpa.yml with every default filled in, then what apply "
                + "deployed (deployment.json), with the PostgreSQL parameters computed for it.</p>");
        spec.ifPresent(node -> body.append("<pre>").append(Html.escape(Json.write(node))).append("</pre>"));
        body.append("<pre id=\"deployed\">").append(Html.escape(Json.write(deployed))).append("</pre>");
        context.html(Html.page("Node " + name + " of " + group, body.toString()));
    }

    void config(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        GroupHistory history = new GroupHistory(directory);
        List<GroupHistory.Version> versions = history.versions();
        StringBuilder body = new StringBuilder();
        String from = context.queryParam("from");
        String to = context.queryParam("to");
        if (from != null && to != null) {
            body.append("<h2>Diff</h2><p class=\"note\">From ").append(Html.escape(from)).append(" to ").append(Html.escape(to)).append("</p>");
            try {
                body.append(diff(history.diff(from, to)));
            } catch (UserError error) {
                body.append(Html.error(error.getMessage()));
            }
        }
        body.append("<h2>History</h2><p class=\"note\">Every version is a commit of the group directory (git -C ").append(Html.escape(directory))
                .append(" log).</p>");
        body.append("<form method=\"get\" action=\"/groups/").append(Html.escape(group)).append("/config\">")
                .append("<table id=\"history\"><tr><th>From</th><th>To</th><th>Version</th><th>When (UTC)</th><th>Change</th><th></th></tr>");
        for (int index = 0; index < versions.size(); index++) {
            GroupHistory.Version version = versions.get(index);
            body.append("<tr data-version=\"").append(version.shortId()).append("\"><td><input type=\"radio\" name=\"from\" value=\"")
                    .append(version.shortId()).append("\"").append(index == 1 ? " checked" : "").append("></td><td><input type=\"radio\" name=\"to\" value=\"")
                    .append(version.shortId()).append("\"").append(index == 0 ? " checked" : "").append("></td><td><code>")
                    .append(version.shortId()).append("</code></td><td>").append(Html.escape(version.time().toString().replace('T', ' ').replace("Z", "")))
                    .append("</td><td>").append(Html.escape(version.message())).append("</td><td>");
            if (index + 1 < versions.size()) {
                body.append(Html.link("/groups/" + group + "/config?from=" + versions.get(index + 1).shortId() + "&to=" + version.shortId(),
                        "diff with previous"));
            }
            body.append("</td></tr>");
        }
        body.append("</table><button type=\"submit\" id=\"compare\">Compare the two versions</button></form>");
        body.append("<h2>Config with every default filled in (tpa show --json)</h2><pre id=\"config\">");
        try {
            body.append(Html.escape(Json.write(Show.resolved(directory))));
        } catch (UserError error) {
            body.append(Html.escape(error.getMessage()));
        }
        body.append("</pre>");
        context.html(Html.page("Config of " + group, body.toString()));
    }

    private static String diff(String text) {
        if (text.isBlank()) {
            return "<p>No difference.</p>";
        }
        StringBuilder out = new StringBuilder("<pre class=\"diff\" id=\"diff\">");
        for (String line : text.split("\n", -1)) {
            String css = line.startsWith("+++") || line.startsWith("---") ? "" : line.startsWith("+") ? "add"
                    : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "";
            out.append(css.isEmpty() ? "" : "<span class=\"" + css + "\">").append(Html.escape(line)).append(css.isEmpty() ? "" : "</span>").append('\n');
        }
        return out.append("</pre>").toString();
    }

    void cost(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        CostReport report = Cost.run(directory, null, false);
        StringBuilder body = new StringBuilder("<p class=\"note\">Monthly cost by cluster, node and component, as `tpa cost` prints it "
                + "(see docs/pricing.md).</p>");
        for (Estimate estimate : report.estimates()) {
            body.append("<h2>").append(Html.escape(estimate.cloud())).append(" (").append(Html.escape(estimate.region())).append("), ")
                    .append(Html.escape(estimate.currency())).append(" per month</h2><p class=\"note\">Priced from ")
                    .append(Html.escape(estimate.basis())).append("; prices read ").append(Html.escape(estimate.pricesRead())).append(" (")
                    .append(Html.escape(estimate.pricesFrom())).append(")</p>");
            body.append("<table class=\"cost\" data-cloud=\"").append(Html.escape(estimate.cloud())).append("\"><tr><th>Cluster</th><th>Node</th>"
                    + "<th>Role</th><th>Instance</th>");
            CostLine.COMPONENTS.forEach(component -> body.append("<th class=\"amount\">").append(component).append("</th>"));
            body.append("<th class=\"amount\">Total</th></tr>");
            for (ClusterCost cluster : estimate.clusters()) {
                for (NodeCost node : cluster.nodes()) {
                    body.append("<tr><td>").append(Html.escape(cluster.name())).append("</td><td>").append(Html.escape(node.name()))
                            .append("</td><td>").append(Html.escape(node.role())).append("</td><td>").append(Html.escape(node.instance())).append("</td>");
                    CostLine.COMPONENTS.forEach(component -> body.append("<td class=\"amount\" title=\"")
                            .append(Html.escape(node.line(component).detail())).append("\">")
                            .append(node.line(component).amount().toPlainString()).append("</td>"));
                    body.append("<td class=\"amount\">").append(node.total().toPlainString()).append("</td></tr>");
                }
                body.append("<tr class=\"total\"><td colspan=\"").append(4 + CostLine.COMPONENTS.size()).append("\">cluster ")
                        .append(Html.escape(cluster.name())).append("</td><td class=\"amount\">").append(cluster.total().toPlainString()).append("</td></tr>");
            }
            body.append("<tr class=\"total\"><td colspan=\"").append(4 + CostLine.COMPONENTS.size()).append("\">group</td><td class=\"amount\" ")
                    .append("data-total=\"").append(estimate.total().toPlainString()).append("\">").append(estimate.total().toPlainString())
                    .append("</td></tr></table>");
            body.append("<details><summary>How each line is reached</summary><ul>");
            estimate.clusters().forEach(cluster -> cluster.nodes().forEach(node -> node.lines().forEach(line -> body.append("<li>")
                    .append(Html.escape(node.name() + " " + line.component() + ": " + line.detail() + " = " + line.amount().toPlainString()))
                    .append("</li>"))));
            body.append("</ul></details>");
        }
        report.notes().forEach(note -> body.append("<p class=\"note\">Note: ").append(Html.escape(note)).append("</p>"));
        body.append("<h2>What if: the config (tpa.yml) against what runs (deployment.json)</h2><p class=\"note\">After an edit of tpa.yml "
                + "that apply has not deployed yet, this is what it would change in the bill (tpa cost --what-if).</p>");
        body.append(whatIf(Cost.run(directory, null, true)));
        context.html(Html.page("Cost of " + group, body.toString()));
    }

    /** The what-if tables of a report: per cloud, each line today and planned, with the difference. */
    static String whatIf(CostReport report) {
        StringBuilder body = new StringBuilder();
        for (WhatIf whatIf : report.whatIfs()) {
            List<List<String>> rows = new ArrayList<>();
            for (WhatIf.Change line : whatIf.lines()) {
                if (line.today().signum() != 0 || line.planned().signum() != 0 || line.change() != null) {
                    rows.add(List.of(line.cluster(), line.node(), line.component(), line.today().toPlainString(), line.planned().toPlainString(),
                            Amounts.signed(line.difference()), line.change() == null ? "" : line.change()));
                }
            }
            rows.add(List.of("group", "total", "", whatIf.today().toPlainString(), whatIf.planned().toPlainString(),
                    Amounts.signed(whatIf.difference()), ""));
            body.append("<h3>").append(Html.escape(whatIf.cloud())).append(", ").append(Html.escape(whatIf.currency())).append(" per month</h3>")
                    .append("<div class=\"what-if\" data-cloud=\"").append(Html.escape(whatIf.cloud())).append("\" data-difference=\"")
                    .append(whatIf.difference().toPlainString()).append("\">")
                    .append(Html.table(List.of("Cluster", "Node", "Component", "Today", "Planned", "Difference", "Change"), rows)).append("</div>");
        }
        return body.toString();
    }
}
