package io.tpa.model;

import java.nio.file.Path;
import java.util.Map;

/**
 * A validated configuration as the user wrote it, the file it came from, and where each value
 * stands in it.
 *
 * @param positions "line:column" by config path (as users write it: {@code postgres.parameters.work_mem})
 */
public record LoadedSpec(Path file, GroupSpec spec, Map<String, String> positions) {

    /** "tpa.yml:7:9" for a config path, or just the file when the path is not in it. */
    public String where(String path) {
        String position = positions.get(path);
        return position == null ? file.toString() : file + ":" + position;
    }
}
