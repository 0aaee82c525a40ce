package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.logs.LogLine;
import io.tpa.operation.logs.LogSource;
import io.tpa.operation.logs.Logs;
import io.tpa.operation.logs.Since;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true, description = {
        "Show the log lines of the group's services (PostgreSQL, Patroni, etcd; pgbouncer and HAProxy with endpoints; pgBackRest with backups) from every node, or one, in time order; "
                + "each line starts with its node and service, then its time in UTC.",
        "Exit code 1 when a node's logs could not be read (the others' lines are still shown). See docs/monitoring.md."})
final class LogsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Mixin
    GroupArgument group;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE", description = "Only this node's lines.")
    String node;

    @Option(names = "--service", paramLabel = "SERVICE", completionCandidates = Services.class,
            description = "Only this service's lines: one of ${COMPLETION-CANDIDATES}.")
    String service;

    @Option(names = "--since", paramLabel = "T", description = "Only lines written since T: a duration back from now (30s, 10m, 2h, 1d) "
            + "or a time (2026-12-06T14:00:00Z; UTC when it has no offset).")
    String since;

    @Option(names = "--grep", paramLabel = "RE", description = "Only lines a regular expression (Java syntax) finds in.")
    String grep;

    @Option(names = "--follow", description = "Show the lines of the last 10 minutes (or since --since), then new ones as they are written, "
            + "until interrupted.")
    boolean follow;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Logs.Query query = new Logs.Query(node, service, Since.parse(since, Instant.now()), Logs.grep(grep));
        if (follow) {
            Logs.follow(group.directory, query, line -> {
                print(line, output.json, System.out);
                System.out.flush();
            }, problem -> System.err.println("tpa: " + problem), () -> false, Logs.FOLLOW_INTERVAL);
            return 0;
        }
        Logs.Result result = Logs.read(group.directory, query);
        result.lines().forEach(line -> print(line, output.json, System.out));
        System.out.flush();
        result.unreadable().forEach((name, problem) -> System.err.println("tpa: " + name + ": cannot read its logs: " + problem));
        return result.unreadable().isEmpty() ? 0 : 1;
    }

    static void print(LogLine line, boolean json, PrintStream out) {
        if (json) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("time", line.time() == null ? null : TIME.format(line.time()));
            object.put("node", line.node());
            object.put("service", line.service());
            object.put("level", line.level());
            object.put("message", line.message());
            object.put("line", line.line());
            if (line.record() != null) {
                object.put("record", line.record());
            }
            out.print(Json.JSON_LINE.apply(object));
        } else {
            out.println(line.node() + " " + line.service() + " " + (line.time() == null ? "-" : TIME.format(line.time())) + " "
                    + (line.level().isEmpty() ? "" : line.level() + ": ") + line.message());
        }
    }

    /** The services tpa reads logs of, for the help and shell completion. */
    static final class Services implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return LogSource.ALL.stream().map(LogSource::service).iterator();
        }
    }
}
