package io.tpa.host;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host's operating system release, from its {@code /etc/os-release}: {@code debian-12}, {@code debian-13}. The
 * version catalog is keyed by these names.
 */
public record OsRelease(String id, String versionId, String prettyName) {
    public static final String FILE = "/etc/os-release";

    /** The release's name in the catalog: the distribution's id and its version (or code name when it has none). */
    public String name() {
        return id + "-" + versionId;
    }

    /** Reads a host's release; a host without the file is reported by name. */
    public static OsRelease read(Host host) {
        String text = host.readFile(FILE).orElseThrow(() -> new HostException(host.name() + ": " + FILE
                + " is missing, so tpa cannot tell which release it runs (tpa supports Debian; see `tpa versions`)"));
        return parse(text);
    }

    static OsRelease parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        text.lines().map(String::strip).filter(line -> !line.startsWith("#") && line.contains("=")).forEach(line -> {
            String value = line.substring(line.indexOf('=') + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'")) && value.endsWith(value.substring(0, 1))) {
                value = value.substring(1, value.length() - 1);
            }
            fields.put(line.substring(0, line.indexOf('=')).strip(), value);
        });
        String id = fields.getOrDefault("ID", "linux");
        String version = fields.getOrDefault("VERSION_ID", fields.getOrDefault("VERSION_CODENAME", "unknown"));
        return new OsRelease(id, version, fields.getOrDefault("PRETTY_NAME", id + " " + version));
    }
}
