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
                new BackupPhase.Store(),
                new HostPreparationPhase(),
                new BackupServerPhase.Prepared(),
                new ParametersPhase(),
                new PreparePhase(),
                new TlsPhase(false),
                new SupervisorPhase(),
                new BackupPhase.Configuration(),
                new BackupServerPhase.Serving(),
                // Before etcd's membership changes: a node's Patroni moves to its new etcd hosts while the old ones still run.
                new PatroniConfigPhase(),
                new EtcdPhase(),
                new PatroniConfigPhase.AfterEtcd(),
                new RemoveNodesPhase(),
                new StandbyClustersPhase(),
                PatroniStartPhase.primaries(),
                PatroniStartPhase.replicas(),
                new PromotePhase(),
                new DynamicConfigurationPhase(),
                new RestartPhase(),
                new HealthPhase(),
                new RolesPhase(),
                new ExtensionsPhase(),
                new BackupPhase.Stanza(),
                new BackupPhase.Schedule(),
                new PoolerRolePhase(),
                new EndpointsPhase(),
                new MonitoringPhase(),
                new RecordPhase());
    }

    /** What apply would do, without doing it. */
    public static Plan plan(Path directory) {
        return plan(directory, false);
    }

    /**
     * What apply would do, without doing it.
     *
     * @param trustNewHosts on the ssh platform, record the host keys of servers not in known_hosts yet
     */
    public static Plan plan(Path directory, boolean trustNewHosts) {
        GroupContext context = GroupContext.open(directory, false, trustNewHosts);
        ApplyState state = new ApplyState(context, true, false);
        List<Action.Change> changes = new ArrayList<>();
        for (Phase phase : phases()) {
            phase.plan(state).forEach(action -> changes.add(action.change()));
        }
        return new Plan(context.deployment().group(), changes, state.notes());
    }

    /** Says yes or no to a destructive change, given its one-line description. */
    @FunctionalInterface
    public interface Confirmation {
        boolean confirm(String question);

        Confirmation YES = question -> true;
        Confirmation NO = question -> false;
    }

    public static ApplyResult apply(Path directory, ApplyListener listener) {
        return apply(directory, listener, Confirmation.NO);
    }

    /** Converges the group; removing nodes (and their data) happens only when {@code confirmation} agrees. */
    public static ApplyResult apply(Path directory, ApplyListener listener, Confirmation confirmation) {
        return apply(directory, listener, confirmation, false);
    }

    /**
     * Converges the group; removing nodes (and their data) happens only when {@code confirmation} agrees.
     *
     * @param trustNewHosts on the ssh platform, record the host keys of servers not in known_hosts yet (trust on first use)
     */
    public static ApplyResult apply(Path directory, ApplyListener listener, Confirmation confirmation, boolean trustNewHosts) {
        return converge(directory, "apply", () -> { }, phases(), listener, confirmation, false, trustNewHosts);
    }

    /**
     * How a command that edits the config then applies it runs.
     *
     * @param command           for messages, the lock and the commit ("replica add pg4", "resize pg2 to large", ...)
     * @param confirmation      agrees (or not) to removing nodes and their data
     * @param switchoverPrimary when a primary needs a restart, switch over to a restarted replica instead
     *                          (write downtime of one switchover); otherwise restart it in place
     */
    public record Options(String command, Confirmation confirmation, boolean switchoverPrimary, boolean trustNewHosts) {
        public Options(String command, Confirmation confirmation, boolean switchoverPrimary) {
            this(command, confirmation, switchoverPrimary, false);
        }
    }

    /** Under the group lock, {@code edit} changes the config; then the phases of apply converge the group to it. */
    public static ApplyResult apply(Path directory, Runnable edit, ApplyListener listener, Options options) {
        return converge(directory, options.command(), edit, phases(), listener, options.confirmation(), options.switchoverPrimary(), options.trustNewHosts());
    }

    /**
     * Apply for a command that changes the config first ({@code tpa cluster add}, {@code remove}, {@code promote}):
     * under the group lock, {@code edit} changes the config, then the same phases as apply converge the group to
     * it. Killed half-way, the command or a plain apply resumes from the edited config.
     */
    public static ApplyResult apply(Path directory, String command, Runnable edit, ApplyListener listener, Confirmation confirmation) {
        return converge(directory, command, edit, phases(), listener, confirmation, false, false);
    }

    /**
     * Promotes the config's primary cluster while the former primary cluster is unreachable: only what needs
     * none of its hosts (its DCS configuration made a standby's, the promotion, the record, where it is marked
     * fenced). The next apply, once it is back, starts it as a standby cluster.
     */
    public static ApplyResult promoteWithout(Path directory, String command, Runnable edit, String fencedCluster, ApplyListener listener) {
        return converge(directory, command, edit, List.of(new StandbyClustersPhase(), new PromotePhase(), new RecordPhase(fencedCluster)),
                listener, Confirmation.NO, false, false);
    }

    /** Issues every node a new certificate and reloads the services that present it: no restart, no downtime. */
    public static ApplyResult rotateCertificates(Path directory, ApplyListener listener) {
        return converge(directory, "rotate-certs", () -> { }, List.of(new PreparePhase(), new TlsPhase(true), new HealthPhase(), new MonitoringPhase()), listener,
                Confirmation.NO, false, false);
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
        group.writeDeployment(InstalledPackages.recorded(context, context.deployment()));
        return new GroupHistory(group.path()).commit(message) ? message : null;
    }

    private static java.util.Map<Path, byte[]> configFiles(Path directory) {
        java.util.Map<Path, byte[]> files = new java.util.LinkedHashMap<>();
        for (String name : io.tpa.model.SpecLoader.FILE_NAMES) {
            Path file = directory.resolve(name);
            try {
                if (java.nio.file.Files.exists(file)) {
                    files.put(file, java.nio.file.Files.readAllBytes(file));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Puts a config file back as it was. */
    private static final class GroupDirectoryFiles {
        static void restore(Path file, byte[] bytes) {
            try {
                java.nio.file.Files.write(file, bytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot restore " + file, e);
            }
        }
    }

    private static ApplyResult converge(Path directory, String command, Runnable edit, List<Phase> phases, ApplyListener listener,
                                        Confirmation confirmation, boolean switchoverPrimary, boolean trustNewHosts) {
        long start = System.nanoTime();
        GroupDirectory group = new GroupDirectory(directory);
        try (GroupLock ignored = group.lock(command)) {
            // A command's config edit stands only once the group accepts it: a refusal puts the config back.
            java.util.Map<Path, byte[]> configBefore = configFiles(group.path());
            GroupContext context;
            ApplyState state;
            try {
                edit.run();
                context = GroupContext.open(directory, true, trustNewHosts);
                state = new ApplyState(context, false, switchoverPrimary);
                List<String> removed = RemoveNodesPhase.removed(state).stream().map(io.tpa.model.DeployedNode::name).toList();
                if (!removed.isEmpty()) {
                    String question = "tpa " + command + " would remove " + String.join(", ", removed) + " and "
                            + (removed.size() == 1 ? "its" : "their") + " data";
                    if (!confirmation.confirm(question)) {
                        throw new UserError(question + "; nothing changed: confirm with --yes");
                    }
                }
            } catch (RuntimeException refused) {
                configBefore.forEach((file, bytes) -> GroupDirectoryFiles.restore(file, bytes));
                throw refused;
            }
            List<Action.Change> done = new ArrayList<>();
            ExecutorService executor = Steps.executor();
            try {
                int noted = 0;
                for (Phase phase : phases) {
                    List<Action> actions = phase.plan(state);
                    List<String> notes = state.notes();
                    for (String note : notes.subList(noted, notes.size())) {
                        listener.note(note, since(start));
                    }
                    noted = notes.size();
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
