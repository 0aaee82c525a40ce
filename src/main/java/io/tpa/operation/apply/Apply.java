package io.tpa.operation.apply;

import io.tpa.error.UserError;
import io.tpa.operation.GroupContext;
import io.tpa.wait.Wait;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupHistory;
import io.tpa.workspace.GroupLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Converges a group to its config: an ordered list of phases, each planning only the actions still
 * needed. {@link #plan} is a dry run of the same phases.
 */
public final class Apply {
    private Apply() {
    }

    static List<Phase> phases() {
        return List.of(
                new PackagesPhase(),
                new ParametersPhase(),
                new PreparePhase(),
                new TlsPhase(false),
                new SupervisorPhase(),
                new EtcdPhase(),
                new PatroniConfigPhase(),
                PatroniStartPhase.primaries(),
                PatroniStartPhase.replicas(),
                new DynamicConfigurationPhase(),
                new RestartPhase(),
                new HealthPhase(),
                new RolesPhase(),
                new ExtensionsPhase(),
                new RecordPhase());
    }

    /** What apply would do, without doing it. */
    public static Plan plan(Path directory) {
        GroupContext context = GroupContext.open(directory, false);
        ApplyState state = new ApplyState(context, true);
        List<Action.Change> changes = new ArrayList<>();
        for (Phase phase : phases()) {
            phase.plan(state).forEach(action -> changes.add(action.change()));
        }
        return new Plan(context.deployment().group(), changes);
    }

    public static ApplyResult apply(Path directory, ApplyListener listener) {
        return converge(directory, "apply", phases(), listener);
    }

    /** Issues every node a new certificate and reloads the services that present it: no restart, no downtime. */
    public static ApplyResult rotateCertificates(Path directory, ApplyListener listener) {
        return converge(directory, "rotate-certs", List.of(new PreparePhase(), new TlsPhase(true), new HealthPhase()), listener);
    }

    /**
     * After an operation changed what runs (a switchover, say): writes the deployment record as the
     * group now is, and commits it with the operation's message. The caller holds the group lock.
     *
     * @return the commit message, or null when nothing changed
     */
    public static String record(Path directory, String message) {
        GroupContext context = GroupContext.open(directory, true);
        GroupDirectory group = context.directory();
        group.ensureGitignore();
        group.writeDeployment(context.deployment());
        return new GroupHistory(group.path()).commit(message) ? message : null;
    }

    private static ApplyResult converge(Path directory, String command, List<Phase> phases, ApplyListener listener) {
        long start = System.nanoTime();
        GroupDirectory group = new GroupDirectory(directory);
        try (GroupLock ignored = group.lock(command)) {
            GroupContext context = GroupContext.open(directory, true);
            ApplyState state = new ApplyState(context, false);
            List<Action.Change> done = new ArrayList<>();
            ExecutorService executor = Steps.executor();
            try {
                for (Phase phase : phases) {
                    List<Action> actions = phase.plan(state);
                    Steps.run(actions, executor, listener, start);
                    actions.forEach(action -> done.add(action.change()));
                    if (!actions.isEmpty()) {
                        state.refresh();
                    }
                    phase.settle(state);
                }
            } catch (Wait.WaitTimeout e) {
                throw new UserError(UserError.FAILED, context.deployment().group() + ": " + e.getMessage()
                        + "; see the logs under " + context.deployment().baseDirectory() + "/nodes/*/log, then run `tpa " + command + "` again");
            } finally {
                executor.shutdownNow();
            }
            String commit = null;
            if (!done.isEmpty() || !group.deploymentText().isEmpty()) {
                Set<String> touched = done.stream().map(Action.Change::phase).collect(Collectors.toCollection(LinkedHashSet::new));
                String message = done.isEmpty() ? "tpa " + command + ": config updated, deployment unchanged"
                        : "tpa " + command + ": " + done.size() + " change" + (done.size() == 1 ? "" : "s") + " (" + String.join(", ", touched) + ")";
                group.ensureGitignore();
                if (new GroupHistory(group.path()).commit(message)) {
                    commit = message;
                }
            }
            return new ApplyResult(context.deployment().group(), done, (System.nanoTime() - start) / 1e9, commit);
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
