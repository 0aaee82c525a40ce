package io.tpa.workspace;

import io.tpa.model.Json;
import io.tpa.model.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A git-ignored file under {@code .tpa/} of a new group directory that an operation creating it (fork, restore) writes
 * first, naming where the group comes from, so that the operation, run again after it was killed, resumes instead of
 * refusing a directory that is no longer empty.
 */
public final class ResumeMarker {
    private ResumeMarker() {
    }

    /** The marker's content, if the directory has one that can be read. */
    public static <T> Optional<T> read(Path directory, String marker, Class<T> type) {
        Path file = directory.resolve(marker);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void write(Path directory, String marker, Object content) {
        Path file = directory.resolve(marker);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.write(content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The directory's config file, if it has one. */
    public static Optional<Path> configFile(Path directory) {
        return SpecLoader.FILE_NAMES.stream().map(directory::resolve).filter(Files::exists).findFirst();
    }
}
