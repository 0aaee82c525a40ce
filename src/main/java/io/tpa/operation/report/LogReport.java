package io.tpa.operation.report;

import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.LocalHost;
import io.tpa.operation.logs.LogLine;
import io.tpa.operation.logs.Logs;
import io.tpa.workspace.GroupDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * `tpa report logs`: a pgBadger report (Debian's {@code pgbadger}, run on this machine) of the PostgreSQL jsonlog lines
 * of every node, written into the group directory's {@code reports/}: generated, and quoting statements, so kept out of
 * the group's history by its .gitignore, and readable by its owner only.
 */
public final class LogReport {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration PGBADGER_TIMEOUT = Duration.ofMinutes(10);

    private LogReport() {
    }

    /**
     * The report written.
     *
     * @param file       the HTML file
     * @param lines      how many log lines went into it
     * @param unreadable the nodes whose logs could not be read, and why (the report covers the others)
     */
    public record Report(Path file, int lines, Map<String, String> unreadable) {
    }

    /** Reads the nodes' PostgreSQL lines (since an instant, or all) and runs pgBadger over them. */
    public static Report pgbadger(Path path, Instant since) {
        GroupDirectory directory = new GroupDirectory(path);
        LocalHost local = new LocalHost();
        if (!local.run(Command.of("sh", "-c", "command -v pgbadger")).ok()) {
            throw UserError.failed("pgbadger is not installed on this machine; install it with `apt-get install pgbadger` "
                    + "(scripts/install-deps.sh does)");
        }
        Logs.Result gathered = Logs.read(directory.path(), new Logs.Query(null, "postgres", since, null));
        List<String> lines = gathered.lines().stream().filter(line -> line.record() != null).map(LogLine::line).toList();
        if (lines.isEmpty()) {
            throw UserError.failed("no PostgreSQL log lines to report on" + (since == null ? "" : " since " + since)
                    + (gathered.unreadable().isEmpty() ? "" : " (" + String.join(", ", gathered.unreadable().keySet())
                    + " could not be read)") + "; see `tpa logs " + path + " --service postgres`");
        }
        directory.ensureGitignore();
        Path reports = directory.path().resolve(GroupDirectory.REPORTS);
        Path file = reports.resolve("pgbadger-" + STAMP.format(Instant.now()) + ".html");
        Path input = null;
        try {
            Files.createDirectories(reports);
            Files.setPosixFilePermissions(reports, PosixFilePermissions.fromString("rwx------"));
            input = Files.createTempFile(reports, ".pgbadger-", ".json", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(input, lines, StandardCharsets.UTF_8);
            CommandResult result = local.run(new Command(List.of("pgbadger", "--format", "jsonlog", "--quiet", "--jobs", "1",
                    "--outfile", file.toString(), input.toString()), null, Map.of(), null, PGBADGER_TIMEOUT));
            if (!result.ok() || !Files.exists(file)) {
                throw UserError.failed("pgbadger failed (exit " + result.exitCode() + "): " + result.lastErrorLine());
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (input != null) {
                try {
                    Files.deleteIfExists(input);
                } catch (IOException e) {
                    // A temporary file left in reports/, which .gitignore keeps out of the history.
                }
            }
        }
        return new Report(file, lines.size(), gathered.unreadable());
    }
}
