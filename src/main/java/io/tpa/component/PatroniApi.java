package io.tpa.component;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Patroni's REST API on one node. */
public final class PatroniApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final DeployedNode node;
    private final Http http;

    public PatroniApi(DeployedNode node, Http http) {
        this.node = node;
        this.http = http;
    }

    private String url(String path) {
        return "https://" + node.address() + ":" + Deployment.PATRONI_PORT + path;
    }

    /** What Patroni reports of its own node ({@code GET /patroni}). */
    public record MemberStatus(
            String state, String role, long timeline, boolean pendingRestart, String postmasterStartTime,
            List<String> streamingReplicas, Long walPosition) {

        public boolean isRunning() {
            return "running".equals(state);
        }

        public boolean isPrimary() {
            return "master".equals(role) || "primary".equals(role);
        }

        public boolean isStandbyLeader() {
            return "standby_leader".equals(role);
        }
    }

    public MemberStatus status() {
        Http.Response response = http.get(url("/patroni"), TIMEOUT);
        JsonNode body = response.json();
        List<String> streaming = new ArrayList<>();
        body.path("replication").forEach(r -> {
            if ("streaming".equals(r.path("state").asText())) {
                streaming.add(r.path("application_name").asText());
            }
        });
        JsonNode xlog = body.path("xlog");
        Long position = null;
        if (xlog.has("location")) {
            position = xlog.get("location").asLong();
        } else if (xlog.has("replayed_location")) {
            position = xlog.get("replayed_location").asLong();
        }
        return new MemberStatus(body.path("state").asText(), body.path("role").asText(), body.path("timeline").asLong(),
                body.path("pending_restart").asBoolean(false), body.path("postmaster_start_time").asText(null),
                streaming, position);
    }

    /** The cluster as this node sees it in the DCS ({@code GET /cluster}). */
    public JsonNode cluster() {
        return http.get(url("/cluster"), TIMEOUT).json();
    }

    /** The cluster's dynamic configuration in the DCS. */
    public JsonNode dynamicConfiguration() {
        return http.get(url("/config"), TIMEOUT).json();
    }

    /**
     * Sets PostgreSQL parameters in the cluster's dynamic configuration, keeping everything else
     * (read, merged, written back whole: callers hold the group lock).
     */
    public void setDynamicParameters(Map<String, String> parameters) {
        com.fasterxml.jackson.databind.node.ObjectNode configuration = (com.fasterxml.jackson.databind.node.ObjectNode) dynamicConfiguration();
        com.fasterxml.jackson.databind.node.ObjectNode postgresql = configuration.with("postgresql");
        com.fasterxml.jackson.databind.node.ObjectNode current = postgresql.with("parameters");
        parameters.forEach(current::put);
        expectSuccess("PUT /config", http.send("PUT", url("/config"), Json.write(configuration), Duration.ofSeconds(10), true));
    }

    /** Replaces top-level keys of the dynamic configuration (synchronous_mode, ttl, loop_wait...), keeping the others. */
    public void setDynamicSettings(Map<String, ?> settings) {
        com.fasterxml.jackson.databind.node.ObjectNode configuration = (com.fasterxml.jackson.databind.node.ObjectNode) dynamicConfiguration();
        settings.forEach((name, value) -> configuration.set(name, Json.JSON.valueToTree(value)));
        expectSuccess("PUT /config", http.send("PUT", url("/config"), Json.write(configuration), Duration.ofSeconds(10), true));
    }

    /**
     * Asks the leader to hand over to a candidate; Patroni answers once the candidate leads (or
     * the switchover failed).
     */
    public void switchover(String leader, String candidate) {
        expectSuccess("POST /switchover", http.send("POST", url("/switchover"),
                Json.write(Map.of("leader", leader, "candidate", candidate)), Duration.ofSeconds(60), true));
    }

    /** Makes Patroni re-read its configuration file and reload PostgreSQL. */
    public void reload() {
        expectSuccess("POST /reload", http.send("POST", url("/reload"), null, Duration.ofSeconds(10), true));
    }

    /** Restarts PostgreSQL on this node through Patroni. */
    public void restart() {
        expectSuccess("POST /restart", http.send("POST", url("/restart"), "{}", Duration.ofSeconds(120), true));
    }

    private void expectSuccess(String what, Http.Response response) {
        if (response.status() / 100 != 2) {
            throw new ComponentException(node.name() + ": Patroni refused " + what + " (" + response.status() + " "
                    + response.body().strip() + ")");
        }
    }
}
