package io.tpa.ui;

import io.tpa.error.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The folder the UI shows: every directory in it that holds a tpa.yml, tpa.yaml or tpa.json is a group directory. */
record Workspace(Path path) {
    private static final Pattern DIRECTORY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final List<String> CONFIGS = List.of("tpa.yml", "tpa.yaml", "tpa.json");

    Workspace {
        path = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new UserError("--workspace " + path + ": not a directory; create it, or name the folder that holds your group directories");
        }
    }

    /** The names of the group directories, sorted. */
    List<String> groups() {
        try (Stream<Path> children = Files.list(path)) {
            return children.filter(Workspace::isGroup).map(child -> child.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The group directory of that name; 404 when the workspace has none. */
    Path group(String name) {
        if (name == null || !DIRECTORY_NAME.matcher(name).matches() || !isGroup(path.resolve(name))) {
            throw new io.javalin.http.NotFoundResponse("no group directory " + name + " in " + path);
        }
        return path.resolve(name);
    }

    /** Where a new group of that name goes; a name that is not a plain directory name gets a place Init refuses anyway. */
    Path newGroup(String name) {
        return path.resolve(name != null && DIRECTORY_NAME.matcher(name).matches() ? name : ".invalid-name");
    }

    private static boolean isGroup(Path directory) {
        return Files.isDirectory(directory) && CONFIGS.stream().anyMatch(config -> Files.isRegularFile(directory.resolve(config)));
    }
}
