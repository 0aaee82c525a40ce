package io.tpa.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Reads {@code deployment.json} of every format into a {@link Deployment}. A record of format 1 (one wide object per
 * group and per node, written by tpa before format 2) is moved into the blocks of the current format first, field by
 * field; a missing field stays missing, so it reads as it did before (compliance none, failover standard, Debian 12).
 */
public final class DeploymentRecord {

    private DeploymentRecord() {
    }

    /** The deployment a record holds, whatever its format. */
    public static Deployment read(JsonNode record) throws JsonProcessingException {
        return Json.JSON.treeToValue(current(record), Deployment.class);
    }

    /** The record in the current format: format 1 is migrated, anything else is returned as it is. */
    public static JsonNode current(JsonNode record) {
        return record.path("format_version").asInt(1) == 1 ? fromVersion1(record) : record;
    }

    /** A record of format 1 in the blocks of format 2. */
    static ObjectNode fromVersion1(JsonNode v1) {
        ObjectNode v2 = Json.JSON.createObjectNode();
        v2.put("format_version", 2);
        copy(v1, v2, "group", "key", "platform", "base_directory");
        ObjectNode postgres = v2.putObject("postgres");
        rename(v1, postgres, "postgres_version", "version");
        copy(v1, postgres, "extensions", "compliance");
        copy(v1, v2.putObject("patroni"), "failover", "synchronous");
        copy(v1, v2, "access", "backup");
        ArrayNode clusters = v2.putArray("clusters");
        for (JsonNode cluster : v1.path("clusters")) {
            ObjectNode migrated = cluster.deepCopy();
            ArrayNode nodes = migrated.putArray("nodes");
            cluster.path("nodes").forEach(node -> nodes.add(nodeFromVersion1(node)));
            clusters.add(migrated);
        }
        return v2;
    }

    private static ObjectNode nodeFromVersion1(JsonNode v1) {
        ObjectNode v2 = Json.JSON.createObjectNode();
        copy(v1, v2, "name", "cluster", "address");
        copy(v1, v2.putObject("server"), "release", "ssh", "packages");
        copy(v1, v2.putObject("postgres"), "size", "parameters", "promotable");
        ObjectNode etcd = v2.putObject("etcd");
        rename(v1, etcd, "etcd_member", "member");
        rename(v1, etcd, "etcd_join", "join");
        return v2;
    }

    private static void copy(JsonNode from, ObjectNode to, String... names) {
        for (String name : List.of(names)) {
            rename(from, to, name, name);
        }
    }

    private static void rename(JsonNode from, ObjectNode to, String name, String newName) {
        if (from.has(name) && !from.get(name).isNull()) {
            to.set(newName, from.get(name).deepCopy());
        }
    }
}
