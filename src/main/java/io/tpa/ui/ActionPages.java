package io.tpa.ui;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.tpa.error.UserError;
import io.tpa.model.ClusterSpec;
import io.tpa.model.NodeSpec;
import io.tpa.operation.ConfigChange;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import io.tpa.operation.apply.Plan;
import io.tpa.operation.destroy.Destroy;
import io.tpa.operation.init.Init;
import io.tpa.operation.replica.Replicas;
import io.tpa.operation.resize.Resize;
import io.tpa.operation.show.Show;
import io.tpa.operation.switchover.Switchover;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pages that change something: a form creates a group; switchover, add replica, resize and destroy each show
 * their plan (the operation's dry run) behind a confirmation. Each runs the CLI's operation as a job whose progress
 * the job page shows as it goes.
 */
final class ActionPages {
    private final Workspace workspace;
    private final Access access;
    private final Jobs jobs;

    ActionPages(Workspace workspace, Access access, Jobs jobs) {
        this.workspace = workspace;
        this.access = access;
        this.jobs = jobs;
    }

    void newGroupForm(Context context) {
        context.html(Html.page("New group", newGroupBody(context, "", "1", null)));
    }

    private String newGroupBody(Context context, String name, String replicas, String error) {
        return (error == null ? "" : Html.error(error))
                + "<p class=\"note\">Writes " + Html.escape(workspace.path()) + "/NAME/tpa.yml (as `tpa init` does), then applies it on the "
                + "local platform (as `tpa apply` does).</p>"
                + Html.postForm("/new", access.csrf(context),
                "<label>Name <input name=\"name\" id=\"name\" value=\"" + Html.escape(name) + "\" placeholder=\"sales\"></label>"
                        + "<label>Replicas beside the primary <input name=\"replicas\" id=\"replicas\" type=\"number\" min=\"0\" max=\"30\" value=\""
                        + Html.escape(replicas) + "\"></label>",
                "<button type=\"submit\" id=\"create\">Create and apply</button>");
    }

    void createGroup(Context context) {
        String name = String.valueOf(context.formParam("name")).strip();
        String replicasText = String.valueOf(context.formParam("replicas")).strip();
        Init.Created created;
        Path directory = workspace.newGroup(name);
        try {
            int replicas;
            try {
                replicas = Integer.parseInt(replicasText);
            } catch (NumberFormatException e) {
                throw new UserError("--replicas " + replicasText + ": a whole number of replicas, between 0 and 30");
            }
            created = Init.run(directory, name, replicas, "local", Init.Format.YAML);
        } catch (UserError error) {
            context.status(400).html(Html.page("New group", newGroupBody(context, name, replicasText, error.getMessage())));
            return;
        }
        Jobs.Job job = jobs.start("Create group " + created.group(), directory.getFileName().toString(), listener -> {
            ApplyResult result = Apply.apply(directory, listener, Apply.Confirmation.NO, false);
            return String.format("Applied %d changes to group %s in %.1f s; the group is healthy.", result.changes().size(), result.group(),
                    result.seconds());
        });
        context.redirect("/jobs/" + job.id);
    }

    void switchoverForm(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        String cluster = blankToNull(context.queryParam("cluster"));
        String to = blankToNull(context.queryParam("to"));
        StringBuilder body = new StringBuilder();
        try {
            Switchover.Result plan = Switchover.run(directory, cluster, to, true, ApplyListener.SILENT);
            List<ClusterSpec> clusters = Show.resolved(directory).clusters();
            body.append("<form method=\"get\">");
            if (clusters.size() > 1) {
                body.append("<label>Cluster <select name=\"cluster\" id=\"cluster\">");
                clusters.forEach(each -> body.append("<option").append(each.name().equals(plan.cluster()) ? " selected" : "").append(">")
                        .append(Html.escape(each.name())).append("</option>"));
                body.append("</select></label>");
            }
            body.append("<label>Promote <select name=\"to\" id=\"to\">");
            clusters.stream().filter(each -> each.name().equals(plan.cluster())).flatMap(each -> each.nodes().stream())
                    .map(NodeSpec::name).filter(node -> !node.equals(plan.from()))
                    .forEach(node -> body.append("<option").append(node.equals(plan.to()) ? " selected" : "").append(">")
                            .append(Html.escape(node)).append("</option>"));
            body.append("</select></label><button type=\"submit\">Show the plan</button></form>");
            body.append("<h2>Plan</h2><p id=\"plan\">Would switch cluster ").append(Html.escape(plan.cluster())).append(" over from <b>")
                    .append(Html.escape(plan.from())).append("</b> to <b>").append(Html.escape(plan.to()))
                    .append("</b>: Patroni hands the primary role over with no committed transaction lost; writes pause for a few seconds.</p>");
            body.append(Html.postForm("/groups/" + group + "/switchover", access.csrf(context),
                    "<input type=\"hidden\" name=\"cluster\" value=\"" + Html.escape(plan.cluster()) + "\">"
                            + "<input type=\"hidden\" name=\"to\" value=\"" + Html.escape(plan.to()) + "\">",
                    "<button type=\"submit\" id=\"confirm\">Switch over to " + Html.escape(plan.to()) + "</button>"));
        } catch (UserError error) {
            body.append(Html.error(error.getMessage()));
        }
        context.html(Html.page("Switchover in " + group, body.toString()));
    }

    void switchover(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        String cluster = blankToNull(context.formParam("cluster"));
        String to = blankToNull(context.formParam("to"));
        Jobs.Job job = jobs.start("Switchover in " + group + " to " + to, group, listener -> {
            Switchover.Result result = Switchover.run(directory, cluster, to, false, listener);
            return String.format("Cluster %s switched over from %s to %s in %.1f s.", result.cluster(), result.from(), result.to(), result.seconds());
        });
        context.redirect("/jobs/" + job.id);
    }

    void replicaAddForm(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        StringBuilder body = new StringBuilder();
        try {
            ConfigChange.Outcome plan = Replicas.add(directory, new Replicas.NewReplica(null, null, null, null), false, true, ApplyListener.SILENT);
            body.append(planHtml(plan));
            body.append(Html.postForm("/groups/" + group + "/replica-add", access.csrf(context), "",
                    "<button type=\"submit\" id=\"confirm\">Add the replica</button>"));
        } catch (UserError error) {
            body.append(Html.error(error.getMessage()));
        }
        context.html(Html.page("Add a replica to " + group, body.toString()));
    }

    void replicaAdd(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        Jobs.Job job = jobs.start("Add a replica to " + group, group, listener ->
                outcome(Replicas.add(directory, new Replicas.NewReplica(null, null, null, null), false, false, listener)));
        context.redirect("/jobs/" + job.id);
    }

    void resizeForm(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        String node = blankToNull(context.queryParam("node"));
        String size = blankToNull(context.queryParam("size"));
        StringBuilder body = new StringBuilder("<form method=\"get\"><label>Node <select name=\"node\" id=\"node\">");
        Show.resolved(directory).allNodes().forEach(each -> body.append("<option").append(each.name().equals(node) ? " selected" : "")
                .append(">").append(Html.escape(each.name())).append("</option>"));
        body.append("</select></label><label>Size <select name=\"size\" id=\"size\">");
        io.tpa.model.Catalog.load().sizes().keySet().stream().sorted().forEach(each -> body.append("<option")
                .append(each.equals(size) ? " selected" : "").append(">").append(Html.escape(each)).append("</option>"));
        body.append("</select></label><button type=\"submit\">Show the plan</button></form>");
        if (node != null && size != null) {
            try {
                Resize.Outcome plan = Resize.run(directory, node, null, size, true, ApplyListener.SILENT);
                body.append(planHtml(plan.change()));
                plan.notes().forEach(note -> body.append("<p class=\"note\">Note: ").append(Html.escape(note)).append(".</p>"));
                body.append(Html.postForm("/groups/" + group + "/resize", access.csrf(context),
                        "<input type=\"hidden\" name=\"node\" value=\"" + Html.escape(node) + "\"><input type=\"hidden\" name=\"size\" value=\""
                                + Html.escape(size) + "\">",
                        "<button type=\"submit\" id=\"confirm\">Resize " + Html.escape(node) + " to " + Html.escape(size) + "</button>"));
            } catch (UserError error) {
                body.append(Html.error(error.getMessage()));
            }
        }
        context.html(Html.page("Resize in " + group, body.toString()));
    }

    void resize(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        String node = context.formParam("node");
        String size = context.formParam("size");
        Jobs.Job job = jobs.start("Resize " + node + " of " + group + " to " + size, group, listener -> {
            Resize.Outcome outcome = Resize.run(directory, node, null, size, false, listener);
            return outcome(outcome.change()) + outcome.notes().stream().map(note -> " Note: " + note + ".").collect(Collectors.joining());
        });
        context.redirect("/jobs/" + job.id);
    }

    void destroyForm(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        StringBuilder body = new StringBuilder();
        try {
            Destroy.Removal removal = Destroy.describe(directory);
            body.append("<h2>Plan</h2><p>Destroy would remove group ").append(Html.escape(removal.group())).append(":</p><ul id=\"plan\">")
                    .append("<li>services: ").append(Html.escape(String.join(", ", removal.services()))).append("</li>")
                    .append("<li>data: ").append(Html.escape(removal.baseDirectory())).append(" (every database, WAL and log of the group)</li>")
                    .append("<li>addresses: ").append(Html.escape(removal.addresses().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")))).append("</li></ul>")
                    .append("<p>The config, its history and the secrets stay in ").append(Html.escape(directory)).append(".</p>")
                    .append(Html.postForm("/groups/" + group + "/destroy", access.csrf(context), "",
                            "<button type=\"submit\" class=\"danger\" id=\"confirm\">Destroy group " + Html.escape(removal.group()) + "</button>"));
        } catch (UserError error) {
            body.append(Html.error(error.getMessage()));
        }
        context.html(Html.page("Destroy " + group, body.toString()));
    }

    void destroy(Context context) {
        String group = context.pathParam("group");
        Path directory = workspace.group(group);
        Jobs.Job job = jobs.start("Destroy " + group, group, listener -> {
            Destroy.Removal removal = Destroy.run(directory, false);
            return "Destroyed group " + removal.group() + ": services stopped, " + removal.baseDirectory() + " removed, addresses freed"
                    + (removal.backups() == null ? "." : "; the backups stay in " + removal.backups() + ".");
        });
        context.redirect("/jobs/" + job.id);
    }

    void job(Context context) {
        Jobs.Job job = jobs.job(Integer.parseInt(context.pathParam("id")));
        context.html(Html.page(job.title, "<p>" + Html.link("/groups/" + job.group, "Group " + job.group) + "</p>" + progress(job)));
    }

    /**
     * The job's progress as server-sent events: each line as it comes (its index as the event id, so a reconnecting
     * browser resumes after the last line it has), then the end. The job page's script (ui.js) adds them to the page.
     */
    void jobEvents(SseClient client) {
        Jobs.Job job = jobs.job(Integer.parseInt(client.ctx().pathParam("id")));
        String lastSeen = client.ctx().header("Last-Event-ID");
        String shown = client.ctx().queryParam("from");
        int from = lastSeen != null && lastSeen.matches("\\d{1,9}") ? Integer.parseInt(lastSeen) + 1
                : shown != null && shown.matches("\\d{1,9}") ? Integer.parseInt(shown) : 0;
        client.keepAlive();
        java.util.function.Consumer<Jobs.Event> watcher = new java.util.function.Consumer<>() {
            @Override
            public void accept(Jobs.Event event) {
                if (client.terminated()) {
                    job.unwatch(this);
                    return;
                }
                if (event.index() >= 0) {
                    client.sendEvent(event.name(), event.data(), String.valueOf(event.index()));
                } else {
                    client.sendEvent(event.name(), event.data());
                    client.close();
                }
            }
        };
        client.onClose(() -> job.unwatch(watcher));
        job.watch(from, watcher);
    }

    /** The job's state, outcome and lines so far; while it runs, ui.js follows its events. */
    private static String progress(Jobs.Job job) {
        String state = job.state().name().toLowerCase(java.util.Locale.ROOT);
        List<String> lines = job.lines();
        StringBuilder out = new StringBuilder("<div id=\"job\" data-state=\"").append(state).append("\" data-events=\"/jobs/").append(job.id)
                .append("/events?from=").append(lines.size()).append("\"><p><span id=\"state\" class=\"badge ").append(state).append("\">")
                .append(state).append("</span> <span id=\"outcome\">").append(Html.escape(job.outcome())).append("</span></p><pre id=\"progress\">");
        lines.forEach(line -> out.append(Html.escape(line)).append('\n'));
        return out.append("</pre></div><script src=\"/ui.js\"></script>").toString();
    }

    private static String planHtml(ConfigChange.Outcome outcome) {
        Plan plan = outcome.plan();
        StringBuilder out = new StringBuilder("<h2>Plan</h2><p>Config change: <b>").append(Html.escape(outcome.change())).append("</b></p>");
        out.append("<table id=\"plan\"><tr><th></th><th>Step</th><th>Target</th><th>Action</th></tr>");
        for (Action.Change change : plan.changes()) {
            out.append("<tr><td>").append(change.destructive() ? "-" : "+").append("</td><td>").append(Html.escape(change.phase()))
                    .append("</td><td>").append(Html.escape(change.target())).append("</td><td>").append(Html.escape(change.action())).append("</td></tr>");
        }
        out.append("</table>");
        plan.notes().forEach(note -> out.append("<p class=\"note\">Note: ").append(Html.escape(note)).append("</p>"));
        if (outcome.cost() != null) {
            out.append("<h2>What it costs</h2><p class=\"note\">The group after this change beside what runs today, per month "
                    + "(tpa cost --what-if on the edited config).</p>").append(GroupPages.whatIf(outcome.cost()));
        }
        return out.toString();
    }

    private static String outcome(ConfigChange.Outcome outcome) {
        return String.format("%s: applied %d changes in %.1f s; the group is healthy.", outcome.change(), outcome.result().changes().size(),
                outcome.result().seconds());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
