package io.tpa.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PostgreSQL settings of a group: major version, extensions, parameters that override the computed ones, and what it
 * logs and for how long.
 */
public record PostgresSpec(Integer version, List<String> extensions, Map<String, Object> parameters, LoggingSpec logging) {
    public PostgresSpec {
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(parameters));
    }
}
