package io.tpa.operation.audit;

import io.tpa.host.FileStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks of files on the node's host: ownership and permission bits (CIS sections 1 and 2). */
final class FileChecks {
    /** Write permission for group or others. */
    private static final int WRITABLE_BY_OTHERS = 0022;
    /** Any permission for group or others. */
    private static final int OPEN_TO_OTHERS = 0077;

    private FileChecks() {
    }

    /** The data directory exists, holds this major version, belongs to the service user and has mode 0700. */
    static Check dataDirectory() {
        return node -> {
            String path = node.setting("data_directory");
            Optional<FileStatus> directory = node.file(path).filter(FileStatus::exists);
            if (directory.isEmpty()) {
                return Finding.fail("data directory " + path + " not found");
            }
            FileStatus status = directory.get();
            List<String> problems = new ArrayList<>();
            if (!status.owner().equals(node.expected().serviceUser())) {
                problems.add("owned by " + status.owner() + ", not " + node.expected().serviceUser());
            }
            if (status.mode() != 0700) {
                problems.add("mode " + status.modeText() + ", not 0700");
            }
            String major = String.valueOf(Integer.parseInt(node.setting("server_version_num")) / 10000);
            if (node.versionFile() == null || !node.versionFile().strip().equals(major)) {
                problems.add("PG_VERSION is " + (node.versionFile() == null ? "missing" : "'" + node.versionFile().strip() + "'")
                        + ", not " + major);
            }
            String evidence = path + ": " + status.owner() + " " + status.modeText() + ", PG_VERSION " + major;
            return problems.isEmpty() ? Finding.pass(evidence) : Finding.fail(path + ": " + String.join("; ", problems));
        };
    }

    /** The configuration files belong to the service user and no one else may write them. */
    static Check configurationFiles() {
        return node -> {
            List<String> paths = configurationFilePaths(node);
            List<String> problems = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (String path : paths) {
                Optional<FileStatus> file = node.file(path).filter(FileStatus::exists);
                if (file.isEmpty()) {
                    continue;
                }
                FileStatus status = file.get();
                seen.add(path + " " + status.owner() + " " + status.modeText());
                if (!status.owner().equals(node.expected().serviceUser())) {
                    problems.add(path + " is owned by " + status.owner() + ", not " + node.expected().serviceUser());
                }
                if (status.allows(WRITABLE_BY_OTHERS)) {
                    problems.add(path + " is writable by group or others (mode " + status.modeText() + ")");
                }
            }
            if (seen.isEmpty()) {
                return Finding.fail("none of " + String.join(", ", paths) + " found");
            }
            return problems.isEmpty() ? Finding.pass(String.join("; ", seen)) : Finding.fail(String.join("; ", problems));
        };
    }

    static List<String> configurationFilePaths(NodeFacts node) {
        List<String> paths = new ArrayList<>();
        for (String setting : List.of("hba_file", "ident_file", "config_file")) {
            Optional.ofNullable(node.setting(setting)).ifPresent(paths::add);
        }
        Optional.ofNullable(node.setting("data_directory")).ifPresent(directory -> paths.add(directory + "/postgresql.auto.conf"));
        return paths;
    }

    /** The Unix socket is closed to other users: by its directory's mode or by unix_socket_permissions. */
    static Check socketDirectory() {
        return node -> {
            String directories = String.valueOf(node.setting("unix_socket_directories"));
            String permissions = String.valueOf(node.setting("unix_socket_permissions"));
            boolean socketClosed = permissions.matches("0?[0-7]{3}") && (Integer.parseInt(permissions, 8) & OPEN_TO_OTHERS) == 0;
            List<String> open = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (String directory : SettingCheck.items(directories)) {
                Optional<FileStatus> status = node.file(directory).filter(FileStatus::exists);
                seen.add(directory + " " + status.map(FileStatus::modeText).orElse("missing"));
                if (status.isEmpty() || status.get().allows(OPEN_TO_OTHERS)) {
                    open.add(directory + " (mode " + status.map(FileStatus::modeText).orElse("unknown") + ")");
                }
            }
            String evidence = "unix_socket_permissions = " + permissions + "; " + String.join(", ", seen);
            return socketClosed || open.isEmpty() ? Finding.pass(evidence)
                    : Finding.fail("the socket is open to others: " + String.join(", ", open) + " and unix_socket_permissions = " + permissions);
        };
    }
}
