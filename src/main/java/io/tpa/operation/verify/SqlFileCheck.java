package io.tpa.operation.verify;

import io.tpa.component.ComponentException;
import io.tpa.model.DeployedNode;
import io.tpa.model.Roles;
import io.tpa.operation.verify.TestReport.CheckReport;
import io.tpa.operation.audit.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A check of the group's own: a SQL file under {@code tests/} in the group directory, run on the primary in database
 * {@code app} as the superuser, in a read-only transaction that is rolled back, with a statement timeout of
 * {@link #STATEMENT_TIMEOUT}. It passes when its last query returns no row; a row fails it, and the first
 * {@link #ROWS_SHOWN} rows are its evidence. A file PostgreSQL rejects fails with PostgreSQL's error line.
 */
final class SqlFileCheck implements GroupCheck {
    static final String DIRECTORY = "tests";
    static final String STATEMENT_TIMEOUT = "30s";
    static final int ROWS_SHOWN = 5;

    private final Path file;

    SqlFileCheck(Path file) {
        this.file = file;
    }

    /** A check for each {@code *.sql} file directly under {@code DIR/tests}, by name; none when there is no such directory. */
    static List<SqlFileCheck> discover(Path groupDirectory) {
        Path directory = groupDirectory.resolve(DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".sql") && Files.isRegularFile(path)).sorted()
                    .map(SqlFileCheck::new).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    @Override
    public String id() {
        return DIRECTORY + "/" + file.getFileName();
    }

    @Override
    public String title() {
        return "The query of " + id() + " returns no row";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        String sql;
        try {
            sql = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return failed("cannot read " + file + ": " + e.getMessage(), "make the file readable");
        }
        DeployedNode primary = group.primary().orElse(null);
        if (primary == null) {
            return failed("no running primary to run it on", "see `tpa status DIR`");
        }
        List<String> rows;
        try {
            rows = group.query(primary, Roles.APPLICATION_DATABASE, script(sql));
        } catch (ComponentException e) {
            return failed(postgresError(e.getMessage()), "correct the SQL of " + id());
        }
        if (rows.isEmpty()) {
            return new CheckReport(id(), title(), Result.PASS, "no row on " + primary.name(), List.of(), null);
        }
        return new CheckReport(id(), title(), Result.FAIL, rows.size() + " row" + (rows.size() == 1 ? "" : "s") + " on " + primary.name()
                + ": " + String.join(" / ", rows.subList(0, Math.min(ROWS_SHOWN, rows.size()))) + (rows.size() > ROWS_SHOWN ? " / ..." : ""),
                List.of(), "each row is something " + id() + " looks for and found; see the file for what it means");
    }

    /** The file's SQL in a read-only transaction with a statement timeout, rolled back whatever it does. */
    static String script(String sql) {
        return "BEGIN TRANSACTION READ ONLY;\nSET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT + "';\n" + sql + "\n;\nROLLBACK;\n";
    }

    /** PostgreSQL's error line from a failed run ({@code ERROR:  relation "x" does not exist}), else the whole message. */
    static String postgresError(String message) {
        int at = message.indexOf("ERROR:");
        return at >= 0 ? message.substring(at).replaceAll("\\s+", " ") : message;
    }
}
