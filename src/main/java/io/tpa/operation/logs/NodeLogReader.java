package io.tpa.operation.logs;

import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.host.HostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the log files of one node through its host (a shell command, so the same on the local and the ssh platform),
 * and remembers how far it read each file: the next {@link #read} returns only what was written since, which is how
 * `tpa logs --follow` polls. A file is known by its inode, so one renamed by a rotation ({@code patroni.log} to
 * {@code patroni.log.1}) is not read again, and one truncated by a rotation (PostgreSQL's) is read from its start once it
 * is found shorter than what was read of it (between two polls a second apart, it is).
 */
final class NodeLogReader {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Each file's new bytes after a separator line naming it; only whole lines are counted as read (see {@link #read}). */
    private static final String READ = """
            while read -r offset size path; do
              printf '\\036%s\\n' "$path"
              tail -c +$((offset + 1)) -- "$path" | head -c $((size - offset))
            done""";

    /** How far a file was read, and the time of its last line (a continuation read later carries it). */
    private record Cursor(long offset, Instant lastTime) {
    }

    /** A file as find lists it. */
    record Listed(String inode, long size, String path) {
    }

    private final String node;
    private final Host host;
    private final String directory;
    private final List<LogSource> sources;
    private final Map<String, Cursor> cursors = new HashMap<>();
    private ZoneId zone;

    NodeLogReader(String node, Host host, String directory, List<LogSource> sources) {
        this.node = node;
        this.host = host;
        this.directory = directory;
        this.sources = List.copyOf(sources);
    }

    String node() {
        return node;
    }

    /**
     * The lines written since the last read, in file order (the first read: every line of the files modified since
     * {@code since}, or of all files when it is null).
     *
     * @param whole true to count a last line without its newline as read (a single read); false when it may still be
     *              being written (a follow), so it is read whole next time
     */
    List<LogLine> read(Instant since, boolean whole) {
        List<Listed> listed = list(cursors.isEmpty() ? since : null);
        StringBuilder requests = new StringBuilder();
        Map<String, Listed> byPath = new HashMap<>();
        for (Listed file : listed) {
            Cursor cursor = cursors.get(file.inode());
            long offset = cursor == null || cursor.offset() > file.size() ? 0 : cursor.offset();
            if (file.size() > offset) {
                requests.append(offset).append(' ').append(file.size()).append(' ').append(file.path()).append('\n');
                byPath.put(file.path(), file);
                cursors.put(file.inode(), new Cursor(offset, cursor == null ? null : cursor.lastTime()));
            }
        }
        if (requests.isEmpty()) {
            return List.of();
        }
        CommandResult result = host.check(new Command(List.of("sh", "-c", READ), null, Map.of(), requests.toString(), TIMEOUT));
        List<LogLine> lines = new ArrayList<>();
        for (String chunk : result.stdout().split("\u001e", -1)) {
            int newline = chunk.indexOf('\n');
            if (newline < 0) {
                continue;
            }
            Listed file = byPath.get(chunk.substring(0, newline));
            if (file != null) {
                lines.addAll(parse(file, chunk.substring(newline + 1), whole));
            }
        }
        return lines;
    }

    /** The lines of a file's new text, its cursor moved past the whole lines (or all of it with {@code whole}). */
    private List<LogLine> parse(Listed file, String text, boolean whole) {
        Cursor cursor = cursors.get(file.inode());
        String complete = text;
        String partial = "";
        if (!whole && !text.endsWith("\n")) {
            int last = text.lastIndexOf('\n');
            complete = text.substring(0, last + 1);
            partial = text.substring(last + 1);
        }
        LogSource source = source(file.path());
        Instant lastTime = cursor.lastTime();
        List<LogLine> lines = new ArrayList<>();
        for (String raw : complete.split("\n")) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank() || source.format().skips(line)) {
                continue;
            }
            Optional<LineFormat.Parsed> parsed = source.format().parse(line, zone());
            if (parsed.isPresent()) {
                lastTime = parsed.get().time();
                lines.add(new LogLine(lastTime, node, source.service(), parsed.get().level(), parsed.get().message(), line,
                        parsed.get().record()));
            } else {
                lines.add(new LogLine(lastTime, node, source.service(), "", line, line, null));
            }
        }
        cursors.put(file.inode(), new Cursor(file.size() - partial.getBytes(StandardCharsets.UTF_8).length, lastTime));
        return lines;
    }

    private LogSource source(String path) {
        Path name = Path.of(path).getFileName();
        return sources.stream().filter(source -> source.files().stream().map(NodeLogReader::matcher).anyMatch(m -> m.matches(name)))
                .findFirst().orElseThrow();
    }

    private static PathMatcher matcher(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }

    /** The sources' files in the log directory (modified since an instant, when given), oldest first. */
    private List<Listed> list(Instant since) {
        List<String> argv = new ArrayList<>(List.of("find", directory, "-maxdepth", "1", "-type", "f", "("));
        boolean first = true;
        for (LogSource source : sources) {
            for (String pattern : source.files()) {
                if (!first) {
                    argv.add("-o");
                }
                argv.addAll(List.of("-name", pattern));
                first = false;
            }
        }
        argv.add(")");
        if (since != null) {
            argv.addAll(List.of("-newermt", "@" + since.getEpochSecond()));
        }
        argv.addAll(List.of("-printf", "%T@ %i %s %p\\n"));
        CommandResult result = host.run(new Command(argv, null, Map.of(), null, TIMEOUT));
        if (!result.ok()) {
            if (!host.exists(directory)) {
                return List.of();
            }
            throw new HostException(host.name() + ": cannot list " + directory + ": " + result.lastErrorLine());
        }
        return parseListing(result.stdout());
    }

    /** find's {@code %T@ %i %s %p} lines, oldest file first. */
    static List<Listed> parseListing(String listing) {
        record Entry(double modified, Listed file) {
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] fields = line.split(" ", 4);
            if (fields.length == 4) {
                entries.add(new Entry(Double.parseDouble(fields[0]), new Listed(fields[1], Long.parseLong(fields[2]), fields[3])));
            }
        }
        entries.sort(java.util.Comparator.comparingDouble(Entry::modified));
        return entries.stream().map(Entry::file).toList();
    }

    /** The host's time zone, for Patroni's timestamps ({@code date +%z}), read once. */
    private ZoneId zone() {
        if (zone == null) {
            CommandResult offset = host.run(Command.of("date", "+%z"));
            String text = offset.stdout().strip();
            zone = offset.ok() && text.matches("[+-]\\d{4}") ? ZoneOffset.of(text.substring(0, 3) + ":" + text.substring(3)) : ZoneOffset.UTC;
        }
        return zone;
    }
}
