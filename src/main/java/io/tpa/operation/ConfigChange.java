package io.tpa.operation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tpa.error.UserError;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import io.tpa.operation.apply.Plan;
import io.tpa.operation.cost.Cost;
import io.tpa.operation.cost.CostReport;
import io.tpa.operation.cost.OnPremRates;
import io.tpa.workspace.ConfigEditor;
import io.tpa.workspace.GroupDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A lifecycle command as a config edit followed by the one apply path: the config, the git history
 * and the running group always agree. A dry run plans the edited config in a scratch copy of the
 * group directory and leaves the user's files alone.
 */
public final class ConfigChange {
    private ConfigChange() {
    }

    /**
     * What a config change did, or would do.
     *
     * @param cost with a dry run, the edited config priced beside what runs today ({@code tpa cost --what-if} in the
     *             scratch copy); null after a real change, or when the group cannot be priced (a bad pricing.yml)
     */
    public record Outcome(String change, Plan plan, ApplyResult result,
                          @JsonIgnore CostReport cost) {
        public Outcome(String change, Plan plan, ApplyResult result) {
            this(change, plan, result, null);
        }
    }

    public static Outcome run(Path directory, UnaryOperator<ConfigEditor> edit, boolean dryRun,
                              ApplyListener listener, Apply.Options options) {
        GroupDirectory group = new GroupDirectory(directory);
        Path file = group.load().file();
        ConfigEditor edited;
        try {
            edited = edit.apply(ConfigEditor.open(file));
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
        if (dryRun) {
            return planIn(group.path(), file, edited, options.trustNewHosts());
        }
        ApplyResult result = Apply.apply(directory, edited::save, listener, options);
        return new Outcome(edited.description(), null, result);
    }

    /**
     * Plans and prices the edited config in a scratch copy of the group directory (the record, secrets, CA and
     * on-premises rates come along).
     */
    private static Outcome planIn(Path group, Path file, ConfigEditor edited, boolean trustNewHosts) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("tpa-plan-");
            for (String name : List.of(GroupDirectory.RECORD, "secrets.enc", GroupDirectory.CA_CERTIFICATE, Platforms.KNOWN_HOSTS,
                    OnPremRates.FILE)) {
                Path source = group.resolve(name);
                if (Files.exists(source)) {
                    Files.createDirectories(scratch.resolve(name).getParent());
                    Files.copy(source, scratch.resolve(name));
                }
            }
            edited.saveAs(scratch.resolve(file.getFileName()));
            Plan plan = Apply.plan(scratch, trustNewHosts);
            CostReport cost;
            try {
                cost = Cost.run(scratch, null, true);
            } catch (UserError e) {
                cost = null;
            }
            return new Outcome(edited.description(), plan, null, cost);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (scratch != null) {
                try (Stream<Path> paths = Files.walk(scratch)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException ignored) {
                    // a scratch directory left in /tmp is harmless
                }
            }
        }
    }
}
