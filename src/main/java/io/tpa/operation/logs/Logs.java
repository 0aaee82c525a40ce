package io.tpa.operation.logs;

import io.tpa.component.NodeLayout;
import io.tpa.error.UserError;
import io.tpa.host.HostException;
import io.tpa.host.Platform;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.Platforms;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * `tpa logs`: the log lines of a group's services, gathered from every node through its host, in time order. Each
 * node is read at once (in parallel); a node that cannot be read is reported, and the others' lines still come.
 */
public final class Logs {
    /** How often `--follow` looks for new lines. */
    public static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(1);
    /** What `--follow` shows first without `--since`: the lines of the last ten minutes. */
    public static final Duration FOLLOW_SINCE = Duration.ofMinutes(10);

    private Logs() {
    }

    /**
     * Which lines to show.
     *
     * @param node    one node's, or null for every node
     * @param service one service's (see {@link LogSource#ALL}), or null for every one
     * @param since   those written at or after it, or null for all
     * @param grep    those whose line or message this finds, or null for all
     */
    public record Query(String node, String service, Instant since, Pattern grep) {
        boolean accepts(LogLine line) {
            return line.since(since) && (grep == null || grep.matcher(line.line()).find() || grep.matcher(line.message()).find());
        }
    }

    /** The lines, sorted by time, and the nodes that could not be read (with why). */
    public record Result(List<LogLine> lines, Map<String, String> unreadable) {
    }

    /** A {@code --grep} pattern, or null; a pattern Java cannot compile is bad input. */
    public static Pattern grep(String regex) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UserError("--grep: '" + regex + "' is not a regular expression: " + e.getDescription()
                    + " (at index " + e.getIndex() + "); escape special characters with \\");
        }
    }

    /** The lines the query selects, from every node it names, sorted by time. */
    public static Result read(Path directory, Query query) {
        List<NodeLogReader> readers = readers(directory, query);
        Map<String, String> unreadable = new LinkedHashMap<>();
        List<LogLine> lines = poll(readers, query, true, unreadable);
        return new Result(lines, unreadable);
    }

    /**
     * Prints the lines the query selects (the last {@link #FOLLOW_SINCE} without a since), then every new one as it is
     * written, until {@code stop} says so (the command never stops: it runs until interrupted).
     *
     * @param problems told once of each node that could not be read, and again when it fails otherwise
     */
    public static void follow(Path directory, Query query, Consumer<LogLine> out, Consumer<String> problems, BooleanSupplier stop,
                              Duration interval) {
        Query first = query.since() != null ? query
                : new Query(query.node(), query.service(), Instant.now().minus(FOLLOW_SINCE), query.grep());
        List<NodeLogReader> readers = readers(directory, first);
        Map<String, String> told = new LinkedHashMap<>();
        while (true) {
            Map<String, String> unreadable = new LinkedHashMap<>();
            // A node that could not be read yet is read from the first query's since when it can.
            poll(readers, first, false, unreadable).forEach(out);
            unreadable.forEach((node, problem) -> {
                if (!problem.equals(told.put(node, problem))) {
                    problems.accept(node + ": " + problem);
                }
            });
            if (stop.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Every reader's new lines the query accepts, sorted by time; a reader that fails is named in {@code unreadable}. */
    private static List<LogLine> poll(List<NodeLogReader> readers, Query query, boolean whole, Map<String, String> unreadable) {
        Map<String, CompletableFuture<List<LogLine>>> pending = new LinkedHashMap<>();
        for (NodeLogReader reader : readers) {
            pending.put(reader.node(), CompletableFuture.supplyAsync(() -> reader.read(query.since(), whole)));
        }
        List<LogLine> lines = new ArrayList<>();
        pending.forEach((node, future) -> {
            try {
                future.join().stream().filter(query::accepts).forEach(lines::add);
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof HostException || cause instanceof java.io.UncheckedIOException) {
                    unreadable.put(node, cause.getMessage());
                } else {
                    throw e;
                }
            }
        });
        lines.sort(LogLine.BY_TIME);
        return lines;
    }

    private static List<NodeLogReader> readers(Path directory, Query query) {
        Deployment deployment = GroupAccess.applied(directory);
        List<LogSource> sources = LogSource.selected(query.service());
        List<DeployedNode> nodes = deployment.nodes();
        if (query.node() != null) {
            nodes = List.of(deployment.node(query.node()).orElseThrow(() -> new UserError("unknown node '" + query.node()
                    + "'; the group's nodes are " + deployment.nodes().stream().map(DeployedNode::name).collect(Collectors.joining(", ")))));
        }
        Platform platform = Platforms.forDeployment(directory, deployment);
        return nodes.stream().map(node -> new NodeLogReader(node.name(), platform.host(node.address()),
                NodeLayout.of(deployment.baseDirectory(), node.name()).logDirectory(), sources)).toList();
    }
}
