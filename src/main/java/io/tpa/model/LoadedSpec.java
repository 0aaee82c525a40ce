package io.tpa.model;

import java.nio.file.Path;

/** A validated configuration as the user wrote it, and the file it came from. */
public record LoadedSpec(Path file, GroupSpec spec) {
}
