package io.tpa.operation.audit;

import io.tpa.host.FileStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Checks of what PostgreSQL logs, where, and who may read it (CIS section 3). */
final class LoggingChecks {
    /** The escapes log_line_prefix needs, each as the alternatives that satisfy it. */
    private static final List<List<String>> PREFIX_ESCAPES = List.of(
            List.of("%m", "%t", "%n"), List.of("%p", "%c"), List.of("%u"), List.of("%d"), List.of("%h", "%r"));
    private static final List<String> UTC = List.of("utc", "etc/utc", "gmt", "etc/gmt", "uct", "etc/uct", "zulu", "etc/zulu");
    /** pgAudit's statement classes, for pgaudit.log values such as {@code all, -misc}. */
    private static final List<String> PGAUDIT_CLASSES = List.of("read", "write", "function", "role", "ddl", "misc", "misc_set");
    private static final List<String> PGAUDIT_REQUIRED = List.of("ddl", "role", "write");

    private LoggingChecks() {
    }

    /** log_directory is absolute and outside the data directory. */
    static Check logDirectory() {
        return node -> {
            String directory = node.setting("log_directory");
            if (directory == null || directory.isBlank()) {
                return Finding.fail("log_directory is empty");
            }
            String evidence = SettingCheck.show("log_directory", directory);
            if (!directory.startsWith("/")) {
                return Finding.fail(evidence + ": a relative path, so inside the data directory");
            }
            return inside(directory, node.setting("data_directory"))
                    ? Finding.fail(evidence + ": inside the data directory " + node.setting("data_directory"))
                    : Finding.pass(evidence);
        };
    }

    /** log_file_mode is 0600, the current log file is no wider, and the log directory is closed to others. */
    static Check logFileMode() {
        return node -> {
            List<String> problems = new ArrayList<>();
            String mode = node.setting("log_file_mode");
            if (!"0600".equals(mode)) {
                problems.add("log_file_mode is " + mode + ", not 0600");
            }
            Optional<FileStatus> current = node.file(node.currentLogFile());
            current.filter(FileStatus::exists).filter(file -> file.allows(0077))
                    .ifPresent(file -> problems.add(file.path() + " has mode " + file.modeText()));
            node.file(node.setting("log_directory")).filter(FileStatus::exists).filter(directory -> directory.allows(0007))
                    .ifPresent(directory -> problems.add(directory.path() + " is open to others (mode " + directory.modeText() + ")"));
            String evidence = "log_file_mode = " + mode + current.filter(FileStatus::exists)
                    .map(file -> "; " + file.path() + " is " + file.modeText()).orElse("");
            return problems.isEmpty() ? Finding.pass(evidence) : Finding.fail(String.join("; ", problems));
        };
    }

    /** Log files rotate at least daily: log_rotation_age (in minutes) between 1 and 1440. */
    static Check rotationAge() {
        return SettingCheck.matching("log_rotation_age", value -> {
            int minutes = Integer.parseInt(value);
            return minutes > 0 && minutes <= 24 * 60;
        }, "1 to 1440 (minutes: at most 1d)");
    }

    static Check linePrefix() {
        return node -> {
            String prefix = node.setting("log_line_prefix");
            String evidence = SettingCheck.show("log_line_prefix", prefix == null ? "" : prefix);
            List<String> missing = PREFIX_ESCAPES.stream()
                    .filter(alternatives -> prefix == null || alternatives.stream().noneMatch(prefix::contains))
                    .map(alternatives -> String.join(" or ", alternatives)).toList();
            return missing.isEmpty() ? Finding.pass(evidence) : Finding.fail(evidence + "; lacks " + String.join(", ", missing));
        };
    }

    static Check timezone() {
        return SettingCheck.matching("log_timezone", value -> UTC.contains(value.toLowerCase(Locale.ROOT)), "UTC");
    }

    /** A syslog check applies only when PostgreSQL logs to syslog. */
    static Check whenSyslog(Check check) {
        return node -> {
            String destination = node.setting("log_destination");
            if (destination == null || !destination.toLowerCase(Locale.ROOT).contains("syslog")) {
                return Finding.notApplicable(SettingCheck.show("log_destination", String.valueOf(destination)) + ": no syslog");
            }
            return check.evaluate(node);
        };
    }

    /** pgAudit is preloaded, created in the database postgres, and pgaudit.log covers ddl, role and write. */
    static Check pgaudit() {
        return node -> {
            List<String> problems = new ArrayList<>();
            String preload = String.valueOf(node.setting("shared_preload_libraries"));
            if (!SettingCheck.items(preload).contains("pgaudit")) {
                problems.add("pgaudit is not in shared_preload_libraries ('" + preload + "')");
            }
            boolean created = node.databases().stream()
                    .anyMatch(database -> database.name().equals("postgres") && database.extensions().contains("pgaudit"));
            if (!created) {
                problems.add("extension pgaudit does not exist in database postgres");
            }
            String log = node.setting("pgaudit.log");
            Set<String> classes = pgauditClasses(log == null ? "none" : log);
            List<String> missing = PGAUDIT_REQUIRED.stream().filter(c -> !classes.contains(c)).toList();
            if (!missing.isEmpty()) {
                problems.add("pgaudit.log = '" + (log == null ? "" : log) + "' lacks " + String.join(", ", missing));
            }
            return problems.isEmpty()
                    ? Finding.pass("pgaudit preloaded and created; " + SettingCheck.show("pgaudit.log", log))
                    : Finding.fail(String.join("; ", problems));
        };
    }

    /** The statement classes a pgaudit.log value turns on: a list of classes, {@code all}, and {@code -class} exclusions. */
    static Set<String> pgauditClasses(String value) {
        Set<String> classes = new LinkedHashSet<>();
        for (String item : value.toLowerCase(Locale.ROOT).split(",")) {
            String name = item.strip();
            boolean minus = name.startsWith("-");
            name = name.replaceFirst("^[-+]", "").strip();
            List<String> named = name.equals("all") ? PGAUDIT_CLASSES : List.of(name);
            if (minus) {
                named.forEach(classes::remove);
            } else if (!name.equals("none")) {
                classes.addAll(named);
            }
        }
        return classes;
    }

    /** True when a path is the directory or below it. */
    static boolean inside(String path, String directory) {
        return directory != null && Path.of(path).normalize().startsWith(Path.of(directory).normalize());
    }
}
