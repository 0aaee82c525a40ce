package io.tpa.operation.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the group's own checks, and what is sent to PostgreSQL for each. */
class SqlFileCheckTest {
    @TempDir
    Path group;

    @Test
    void everySqlFileDirectlyUnderTestsIsACheckInNameOrder() throws IOException {
        Path tests = Files.createDirectory(group.resolve("tests"));
        Files.writeString(tests.resolve("b_orders.sql"), "SELECT 1 WHERE false");
        Files.writeString(tests.resolve("a_users.sql"), "SELECT 1 WHERE false");
        Files.writeString(tests.resolve("README.md"), "not a check");
        Files.createDirectory(tests.resolve("more.sql"));
        Files.createDirectories(tests.resolve("nested")).resolve("c.sql").toFile().createNewFile();

        assertThat(SqlFileCheck.discover(group)).extracting(SqlFileCheck::id).containsExactly("tests/a_users.sql", "tests/b_orders.sql");
    }

    @Test
    void aGroupWithoutTestsHasNoOwnCheck() {
        assertThat(SqlFileCheck.discover(group)).isEmpty();
    }

    @Test
    void theQueryRunsReadOnlyWithATimeoutAndIsRolledBack() {
        String script = SqlFileCheck.script("SELECT id FROM orders WHERE total < 0");

        assertThat(script).startsWith("BEGIN TRANSACTION READ ONLY;\nSET LOCAL statement_timeout = '30s';\n")
                .contains("SELECT id FROM orders WHERE total < 0\n;\n").endsWith("ROLLBACK;\n");
    }

    @Test
    void aFailureShowsPostgresqlsErrorLine() {
        assertThat(SqlFileCheck.postgresError("local: psql in database app on pg1 failed (exit 3): psql:<stdin>:3: ERROR:  relation "
                + "\"nosuch\" does not exist")).isEqualTo("ERROR: relation \"nosuch\" does not exist");
        assertThat(SqlFileCheck.postgresError("connection refused")).isEqualTo("connection refused");
    }
}
