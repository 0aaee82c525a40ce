package io.tpa.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What pgBackRest's repository of a group holds, as {@code pgbackrest info --output=json} tells it: the backups, the
 * range of archived WAL, and whether the stanza is usable.
 *
 * @param stanza      the stanza (the group's name)
 * @param statusCode  pgBackRest's status code: 0 ok, 1 missing stanza path, 2 no valid backups, ...
 * @param status      pgBackRest's status message
 * @param backupRunning true while a backup holds the stanza's lock
 * @param backups     the backups, oldest first
 * @param walMin      the oldest archived WAL segment (null when none)
 * @param walMax      the newest archived WAL segment (null when none)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupRepository(String stanza, int statusCode, String status, boolean backupRunning, List<BackupSet> backups,
                               String walMin, String walMax) {

    /**
     * One backup.
     *
     * @param label              pgBackRest's label, such as {@code 20261207-024042F}
     * @param type               full, diff or incr
     * @param prior              the backup it depends on (null for a full one)
     * @param start              when it began
     * @param stop               when it ended: the earliest time a point-in-time restore from it can reach
     * @param databaseBytes      the size of the database it copies
     * @param repositoryBytes    what it takes in the repository (compressed, only what changed for diff and incr)
     * @param walStart           the first WAL segment it needs
     * @param walStop            the last WAL segment it needs to be consistent
     * @param lsnStart           the WAL position it began at
     * @param lsnStop            the WAL position it is consistent at: the earliest a restore from it can reach
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BackupSet(String label, String type, String prior, @JsonSerialize(using = ToStringSerializer.class) Instant start,
                            @JsonSerialize(using = ToStringSerializer.class) Instant stop, long databaseBytes,
                            long repositoryBytes, String walStart, String walStop, String lsnStart, String lsnStop) {
    }

    public static final Duration INFO_TIMEOUT = Duration.ofSeconds(60);

    /** The newest backup, if any. */
    public Optional<BackupSet> newest() {
        return backups.isEmpty() ? Optional.empty() : Optional.of(backups.get(backups.size() - 1));
    }

    /** The oldest backup, if any. */
    public Optional<BackupSet> oldest() {
        return backups.isEmpty() ? Optional.empty() : Optional.of(backups.get(0));
    }

    /** Reads the repository through a node's pgBackRest configuration. */
    public static BackupRepository read(Host host, Deployment deployment, DeployedNode node) {
        Command command = new Command(List.of(PgBackRest.BINARY, "--config=" + PgBackRest.configFile(deployment, node),
                "--stanza=" + PgBackRest.stanza(deployment), "--output=json", "info"), host.serviceUser(), null, null, INFO_TIMEOUT);
        return read(host, command, PgBackRest.stanza(deployment));
    }

    /** Reads a repository with this {@code pgbackrest info --output=json} command. */
    public static BackupRepository read(Host host, Command command, String stanza) {
        CommandResult result = PgBackRest.run(host, command);
        return parse(result.stdout(), stanza);
    }

    /** The repository as pgBackRest's JSON describes it. */
    public static BackupRepository parse(String json, String stanza) {
        JsonNode root;
        try {
            root = Json.JSON.readTree(json);
        } catch (IOException e) {
            throw new ComponentException("pgbackrest info: unreadable output: " + e.getMessage());
        }
        JsonNode entry = null;
        for (JsonNode candidate : root) {
            if (stanza.equals(candidate.path("name").asText())) {
                entry = candidate;
            }
        }
        if (entry == null) {
            return new BackupRepository(stanza, 1, "missing stanza", false, List.of(), null, null);
        }
        List<BackupSet> backups = new ArrayList<>();
        for (JsonNode backup : entry.path("backup")) {
            if (backup.path("error").asBoolean(false)) {
                continue;
            }
            backups.add(new BackupSet(backup.path("label").asText(), backup.path("type").asText(), backup.path("prior").asText(null),
                    Instant.ofEpochSecond(backup.path("timestamp").path("start").asLong()),
                    Instant.ofEpochSecond(backup.path("timestamp").path("stop").asLong()),
                    backup.path("info").path("size").asLong(), backup.path("info").path("repository").path("delta").asLong(),
                    backup.path("archive").path("start").asText(null), backup.path("archive").path("stop").asText(null),
                    backup.path("lsn").path("start").asText(null), backup.path("lsn").path("stop").asText(null)));
        }
        String walMin = null;
        String walMax = null;
        for (JsonNode archive : entry.path("archive")) {
            String min = archive.path("min").asText(null);
            String max = archive.path("max").asText(null);
            if (min != null && (walMin == null || min.compareTo(walMin) < 0)) {
                walMin = min;
            }
            if (max != null && (walMax == null || max.compareTo(walMax) > 0)) {
                walMax = max;
            }
        }
        JsonNode status = entry.path("status");
        return new BackupRepository(stanza, status.path("code").asInt(), status.path("message").asText(),
                status.path("lock").path("backup").path("held").asBoolean(false), List.copyOf(backups), walMin, walMax);
    }
}
