package io.tpa.operation;

import io.tpa.error.UserError;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import io.tpa.operation.apply.Plan;
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

    /** What a config change did, or would do. */
    public record Outcome(String change, Plan plan, ApplyResult result) {
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
            return new Outcome(edited.description(), planIn(group.path(), file, edited, options.trustNewHosts()), null);
        }
        ApplyResult result = Apply.apply(directory, edited::save, listener, options);
        return new Outcome(edited.description(), null, result);
    }

    /** Plans the edited config in a scratch copy of the group directory (the record, secrets and CA come along). */
    private static Plan planIn(Path group, Path file, ConfigEditor edited, boolean trustNewHosts) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("tpa-plan-");
            for (String name : List.of(GroupDirectory.RECORD, "secrets.enc", GroupDirectory.CA_CERTIFICATE, Platforms.KNOWN_HOSTS)) {
                Path source = group.resolve(name);
                if (Files.exists(source)) {
                    Files.createDirectories(scratch.resolve(name).getParent());
                    Files.copy(source, scratch.resolve(name));
                }
            }
            edited.saveAs(scratch.resolve(file.getFileName()));
            return Apply.plan(scratch, trustNewHosts);
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
