package io.tpa.component;

import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the installed PostgreSQL says of its parameters ({@code postgres --describe-config}):
 * which exist, their type, and which only take effect at a restart. Facts from the binary, not a
 * list kept by hand.
 */
public final class PostgresSettings {
    /** Parameters tpa sets itself: overriding them would break replication, TLS or the layout. */
    public static final Set<String> MANAGED = Set.of(
            "listen_addresses", "port", "unix_socket_directories", "data_directory", "config_file", "hba_file",
            "ident_file", "cluster_name", "hot_standby", "ssl", "ssl_cert_file", "ssl_key_file", "ssl_ca_file",
            "ssl_min_protocol_version", "password_encryption", "wal_level", "log_directory", "primary_conninfo",
            "primary_slot_name", "restore_command", "recovery_target_timeline");

    private static final Pattern BOOLEAN = Pattern.compile("(?i)on|off|true|false|yes|no|1|0");
    private static final Pattern WITH_UNIT = Pattern.compile("-?\\d+(\\.\\d+)?\\s*(B|kB|MB|GB|TB|us|ms|s|min|h|d)?");
    private static final Pattern REAL = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?\\s*(us|ms|s|min|h|d)?");

    /** One parameter: its context (postmaster, sighup, user, ...) and type (BOOLEAN, INTEGER, REAL, STRING, ENUM). */
    public record Definition(String name, String context, String type) {
    }

    private final Map<String, Definition> definitions;

    private PostgresSettings(Map<String, Definition> definitions) {
        this.definitions = definitions;
    }

    /** Asks the PostgreSQL binary on a host; empty when it is not installed yet (a plan before the first apply). */
    public static Optional<PostgresSettings> describe(Host host, String binDirectory) {
        if (!host.exists(binDirectory + "/postgres")) {
            return Optional.empty();
        }
        CommandResult result = host.check(new Command(java.util.List.of(binDirectory + "/postgres", "--describe-config"),
                host.serviceUser(), Map.of(), null, Duration.ofSeconds(30)));
        return Optional.of(parse(result.stdout()));
    }

    static PostgresSettings parse(String describeConfig) {
        Map<String, Definition> definitions = new HashMap<>();
        describeConfig.lines().forEach(line -> {
            String[] fields = line.split("\t", -1);
            if (fields.length >= 4) {
                definitions.put(fields[0], new Definition(fields[0], fields[1], fields[3]));
            }
        });
        return new PostgresSettings(definitions);
    }

    public boolean needsRestart(String parameter) {
        Definition definition = definitions.get(parameter);
        return definition != null && definition.context().equals("postmaster");
    }

    public boolean knows(String parameter) {
        return definitions.containsKey(parameter);
    }

    public java.util.Collection<String> names() {
        return definitions.keySet();
    }

    /** Null when the value suits the parameter's type, else what is wrong and what would do. */
    public String whyInvalid(String parameter, String value) {
        Definition definition = definitions.get(parameter);
        if (definition == null) {
            return null;
        }
        return switch (definition.type()) {
            case "BOOLEAN" -> BOOLEAN.matcher(value).matches() ? null : "'" + value + "' is not a boolean; use on or off";
            case "INTEGER" -> WITH_UNIT.matcher(value).matches() ? null
                    : "'" + value + "' is not a number; use a whole number with an optional unit (kB, MB, GB, ms, s, min), e.g. 64MB";
            case "REAL" -> REAL.matcher(value).matches() ? null : "'" + value + "' is not a number, e.g. 1.1";
            default -> null;
        };
    }
}
