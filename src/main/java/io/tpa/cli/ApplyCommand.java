package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true, description = "Converge the group to its config: install, configure, start, wait until healthy, record.")
final class ApplyCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Option(names = {"-q", "--quiet"}, description = "Print only the outcome.")
    boolean quiet;

    @Option(names = {"-y", "--yes"}, description = "Confirm destructive changes (removing nodes and their data) without asking.")
    boolean yes;

    @Option(names = "--trust-new-hosts", description = "On the ssh platform: accept the host key of a server not in the group's known_hosts yet, "
            + "and record it there (trust on first use). A key that differs from the recorded one is always refused.")
    boolean trustNewHosts;

    @Override
    public void run() {
        ApplyListener listener = output.json ? new JsonEvents() : quiet ? ApplyListener.SILENT : new ProgressLines();
        ApplyResult result = Apply.apply(group.directory, listener, confirmation(yes), trustNewHosts);
        if (output.json) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("event", "result");
            event.put("group", result.group());
            event.put("changed", result.changed());
            event.put("changes", result.changes().size());
            event.put("seconds", round(result.seconds()));
            event.put("commit", result.commit());
            System.out.print(Json.JSON_LINE.apply(event));
        } else if (!result.changed()) {
            System.out.printf("No changes: group %s matches its config and is healthy (%.1f s).%n", result.group(), result.seconds());
        } else {
            System.out.printf("Applied %d change%s to group %s in %.1f s; the group is healthy.%n", result.changes().size(),
                    result.changes().size() == 1 ? "" : "s", result.group(), result.seconds());
        }
    }

    /** --yes confirms; on a terminal the user is asked; otherwise destructive changes are refused. */
    static Apply.Confirmation confirmation(boolean yes) {
        if (yes) {
            return Apply.Confirmation.YES;
        }
        java.io.Console console = System.console();
        if (console == null) {
            return Apply.Confirmation.NO;
        }
        return question -> {
            String answer = console.readLine("%s. Continue? [y/N] ", question);
            return answer != null && answer.strip().equalsIgnoreCase("y");
        };
    }

    static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }

    /** One line per step per node, with the time since apply started and the step's own duration. */
    static final class ProgressLines implements ApplyListener {
        @Override
        public void started(Action action, Duration sinceStart) {
        }

        @Override
        public synchronized void finished(Action action, Duration took, Duration sinceStart) {
            System.out.printf("[%6.2fs] %-12s %-22s %s (%.2fs)%n", sinceStart.toMillis() / 1000.0, action.target(), action.phase(),
                    action.description(), took.toMillis() / 1000.0);
        }

        @Override
        public synchronized void failed(Action action, String error, Duration sinceStart) {
            System.out.printf("[%6.2fs] %-12s %-22s %s FAILED: %s%n", sinceStart.toMillis() / 1000.0, action.target(), action.phase(),
                    action.description(), error);
        }

        @Override
        public synchronized void note(String message, Duration sinceStart) {
            System.out.printf("[%6.2fs] %s%n", sinceStart.toMillis() / 1000.0, message);
        }
    }

    /** One JSON object per line, for scripts. */
    static final class JsonEvents implements ApplyListener {
        private synchronized void emit(String event, Action action, Map<String, Object> extra, Duration sinceStart) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", event);
            line.put("at_seconds", round(sinceStart.toMillis() / 1000.0));
            if (action != null) {
                line.put("phase", action.phase());
                line.put("target", action.target());
                line.put("action", action.description());
            }
            line.putAll(extra);
            System.out.print(Json.JSON_LINE.apply(line));
        }

        @Override
        public void started(Action action, Duration sinceStart) {
            emit("started", action, Map.of(), sinceStart);
        }

        @Override
        public void finished(Action action, Duration took, Duration sinceStart) {
            emit("finished", action, Map.of("seconds", round(took.toMillis() / 1000.0)), sinceStart);
        }

        @Override
        public void failed(Action action, String error, Duration sinceStart) {
            emit("failed", action, Map.of("error", error), sinceStart);
        }

        @Override
        public void note(String message, Duration sinceStart) {
            emit("note", null, Map.of("message", message), sinceStart);
        }
    }
}
