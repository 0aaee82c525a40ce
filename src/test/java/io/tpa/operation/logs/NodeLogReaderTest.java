package io.tpa.operation.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.host.LocalHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on this machine's files through {@link LocalHost}: the shell commands it runs on every host. */
class NodeLogReaderTest {
    private static final String PG_1 = "{\"timestamp\":\"2026-12-06 02:00:00.000 UTC\",\"error_severity\":\"LOG\",\"message\":\"database system is ready\"}\n";
    private static final String PG_2 = "{\"timestamp\":\"2026-12-08 02:00:00.000 UTC\",\"error_severity\":\"LOG\",\"message\":\"checkpoint starting: time\"}\n";
    private static final String PATRONI = """
            2026-12-07 12:00:00,000 ERROR: Exception during execution of long running task restarting after failure
            Traceback (most recent call last):
              File "/usr/lib/python3/dist-packages/patroni/async_executor.py", line 97, in run
            """;
    private static final String ETCD = "{\"level\":\"warn\",\"ts\":\"2026-12-05T08:00:00.000Z\",\"msg\":\"slow fdatasync\"}\n";

    @TempDir
    Path directory;

    private NodeLogReader reader() {
        return new NodeLogReader("pg1", new LocalHost(), directory.toString(), LogSource.ALL);
    }

    @Test
    void readsEveryServicesFilesAndTracebacksTakeTheTimeOfTheirLine() throws IOException {
        Files.writeString(directory.resolve("postgresql-Sun.json"), PG_1 + PG_2);
        Files.writeString(directory.resolve("patroni.log"), PATRONI);
        Files.writeString(directory.resolve("etcd.log"), ETCD);
        Files.writeString(directory.resolve("postgresql-Sun.log"), "an older group's text log, not read\n");

        List<LogLine> lines = new ArrayList<>(reader().read(null, true));
        lines.sort(LogLine.BY_TIME);

        assertThat(lines).extracting(LogLine::service).containsExactly("etcd", "postgres", "patroni", "patroni", "patroni", "postgres");
        assertThat(lines).extracting(LogLine::message).containsExactly("slow fdatasync", "database system is ready",
                "Exception during execution of long running task restarting after failure", "Traceback (most recent call last):",
                "  File \"/usr/lib/python3/dist-packages/patroni/async_executor.py\", line 97, in run", "checkpoint starting: time");
        assertThat(lines.get(3).time()).isEqualTo(lines.get(2).time());
        assertThat(lines.get(3).level()).isEmpty();
        assertThat(lines).allSatisfy(line -> assertThat(line.node()).isEqualTo("pg1"));
        assertThat(lines.get(0).record().path("level").asText()).isEqualTo("warn");
    }

    @Test
    void sinceKeepsTheLinesWrittenAtOrAfterIt() throws IOException {
        Files.writeString(directory.resolve("postgresql-Sun.json"), PG_1 + PG_2);
        Logs.Query query = new Logs.Query(null, null, Instant.parse("2026-12-07T00:00:00Z"), null);
        assertThat(reader().read(null, true).stream().filter(query::accepts).map(LogLine::message))
                .containsExactly("checkpoint starting: time");
        Logs.Query grep = new Logs.Query(null, null, null, Logs.grep("ready|nothing"));
        assertThat(reader().read(null, true).stream().filter(grep::accepts).map(LogLine::message))
                .containsExactly("database system is ready");
    }

    @Test
    void aFollowReadsOnlyNewWholeLinesAndSurvivesRotations() throws IOException {
        Path patroni = directory.resolve("patroni.log");
        Path postgres = directory.resolve("postgresql-Sun.json");
        Files.writeString(patroni, "2026-12-07 12:00:00,000 INFO: first\n2026-12-07 12:00:01,000 INFO: sec");
        Files.writeString(postgres, PG_1 + PG_1);
        NodeLogReader reader = reader();
        assertThat(reader.read(null, false)).extracting(LogLine::message).containsExactlyInAnyOrder("first", "database system is ready", "database system is ready");
        assertThat(reader.read(null, false)).as("nothing new").isEmpty();

        Files.writeString(patroni, "ond\n", StandardOpenOption.APPEND);
        assertThat(reader.read(null, false)).extracting(LogLine::message).containsExactly("second");

        // The service manager's rotation: the file is renamed and a new one started; the renamed one is not read again.
        Files.move(patroni, directory.resolve("patroni.log.1"));
        Files.writeString(patroni, "2026-12-07 12:00:02,000 INFO: third\n");
        // PostgreSQL's: the file of the day a week ago is truncated and written again (found shorter than what was read).
        Files.writeString(postgres, PG_2);
        assertThat(reader.read(null, false)).extracting(LogLine::message).containsExactlyInAnyOrder("third", "checkpoint starting: time");
    }

    @Test
    void aNodeWithoutALogDirectoryHasNoLines() {
        assertThat(new NodeLogReader("pg9", new LocalHost(), directory.resolve("absent").toString(), LogSource.ALL).read(null, true)).isEmpty();
    }

    @Test
    void findsListingIsSortedOldestFirst() {
        assertThat(NodeLogReader.parseListing("1796529943.5 12 100 /x/patroni.log\n1796529000.0 13 5 /x/patroni.log.1\n"))
                .extracting(NodeLogReader.Listed::path).containsExactly("/x/patroni.log.1", "/x/patroni.log");
    }
}
